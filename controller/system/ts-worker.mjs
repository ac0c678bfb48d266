// Starts a TypeScript worker: registers tsx in this thread, then loads the module named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsModule);

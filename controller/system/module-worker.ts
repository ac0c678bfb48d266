/**
 * Starts a worker thread on a module beside the caller, from the sources and from the compiled
 * build alike. Under tsx (tests, `npm run dev`) the caller is a .ts file and so is the worker's
 * module: it goes through ts-worker.mjs, which registers tsx in the new thread first. From the
 * compiled build (`npm start`, dist/) the caller is a .js file and the worker's .js runs as it is,
 * with no TypeScript loader in memory.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `moduleName` without extension, beside `callerUrl` (the caller's `import.meta.url`). */
export function startModuleWorker(
  callerUrl: string,
  moduleName: string,
  options: WorkerOptions & { workerData?: Record<string, unknown> } = {},
): Worker {
  const compiled = new URL(callerUrl).pathname.endsWith('.js');
  const module = new URL(`./${moduleName}.${compiled ? 'js' : 'ts'}`, callerUrl);
  if (compiled) return new Worker(module, options);
  return new Worker(new URL('./ts-worker.mjs', import.meta.url), {
    ...options,
    workerData: { ...options.workerData, tsModule: module.href },
  });
}

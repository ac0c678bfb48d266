/**
 * One controller per data directory. Two controllers on the same database and keys would both
 * publish every command and both receipt every ack, each with half the picture (a second
 * `npm start` beside the service, or a service unit started twice). A lock left by a controller
 * that was killed is taken over (controller/shared/dir-lock.ts).
 */
import { lockDir } from '../shared/dir-lock.js';

export const LOCK_FILE = 'controller.pid';

/**
 * Takes the data directory for this process; returns its release, or the process id of the
 * controller that holds it (a live process whose command line names the controller's main.*).
 */
export const lockDataDir = (dir: string) => lockDir(dir, LOCK_FILE, 'main.');

/**
 * The verifier off the event loop: a year of a large commune's proof takes tens of seconds to walk,
 * and the controller must keep sending emergencies meanwhile. One check at a time; callers who ask
 * while one runs share its answer.
 */
import { startModuleWorker } from '../system/module-worker.js';
import type { ProofReport, VerifyOptions } from './verify-proof.js';

export function verifyInWorker(dbFile: string, options: VerifyOptions = {}): Promise<ProofReport> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(import.meta.url, 'verify-worker', { workerData: { dbFile, options } });
    worker.once('message', (m: { report?: ProofReport; error?: string }) =>
      m.report ? resolve(m.report) : reject(new Error(m.error)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`verifier worker exited with ${code}`));
    });
  });
}

/** Shares one running check among everyone who asks while it runs. */
export class SharedVerification {
  private running?: Promise<ProofReport>;

  constructor(
    private readonly dbFile: string,
    private readonly options: VerifyOptions = {},
  ) {}

  run(): Promise<ProofReport> {
    this.running ??= verifyInWorker(this.dbFile, this.options).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}

/**
 * Runs in a worker thread: espeak-ng compiled to WASM, so synthesis never blocks the
 * controller's event loop. One job at a time; each instantiates the module afresh (it runs
 * espeak-ng's main once per instance).
 */
import { parentPort } from 'node:worker_threads';
import ESpeakNg from 'espeak-ng';

interface Job {
  id: number;
  text: string;
  voice: string;
  wpm: number;
}

parentPort!.on('message', async (job: Job) => {
  try {
    const espeak = await (ESpeakNg as (opts: unknown) => Promise<{ FS: { readFile(path: string): Uint8Array } }>)({
      arguments: ['-v', job.voice, '-s', String(job.wpm), '-w', '/out.wav', job.text],
      print: () => {},
      printErr: () => {},
    });
    const wav = espeak.FS.readFile('/out.wav');
    const copy = new Uint8Array(wav);
    parentPort!.postMessage({ id: job.id, wav: copy }, [copy.buffer]);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: String((err as Error).message ?? err) });
  }
});

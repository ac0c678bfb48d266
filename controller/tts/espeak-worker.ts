/**
 * Runs in a worker thread: espeak-ng compiled to WASM, so synthesis never blocks the
 * controller's event loop. espeak-ng's main runs once per module instance, so every job needs a
 * fresh instance. Instantiating one (32 MB of memory, 18 MB of voice data copied in) took about
 * 200 of the 300 ms a 300-character job took; so the next instance is made while the worker is
 * idle and handed the job's arguments when it comes. An idle worker drops its spare after a few
 * minutes rather than hold the memory.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import ESpeakNg from 'espeak-ng';

interface Job {
  id: number;
  text: string;
  voice: string;
  wpm: number;
  /** The text is SSML (breaks, prosody rate). */
  ssml: boolean;
}

interface EspeakModule {
  FS: { readFile(path: string): Uint8Array };
}
type Factory = (opts: object) => Promise<EspeakModule>;

const SPARE_IDLE_MS = 5 * 60_000;

// Compiled once: the module factory would otherwise read and compile 18 MB on every job.
const wasmPath = createRequire(import.meta.url)
  .resolve('espeak-ng')
  .replace(/espeak-ng\.js$/, 'espeak-ng.wasm');
const compiled = WebAssembly.compile(readFileSync(wasmPath));

interface Spare {
  /** Starts espeak-ng's main with these arguments; resolves when it has returned. */
  run(args: string[]): Promise<EspeakModule>;
}

/**
 * An instance made ahead: the factory reads `arguments` when main starts, which is only when we
 * hand it the instance, so the (same) array is filled in then.
 */
function makeSpare(): Spare {
  const args: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  // Settled once main has returned (or failed). The factory calls instantiateWasm only after an
  // await of its own, so this cannot simply be the promise made there.
  let settle!: { resolve: () => void; reject: (err: unknown) => void };
  const started = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const ready = (ESpeakNg as unknown as Factory)({
    arguments: args,
    print: () => {},
    printErr: () => {},
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) {
      const instance = compiled.then((module) => WebAssembly.instantiate(module, imports));
      // Main runs inside receive(); an error there belongs to the job.
      Promise.all([instance, gate])
        .then(([inst]) => receive(inst))
        .then(settle.resolve, settle.reject);
      return {};
    },
  });
  // Until a job comes, nobody awaits these: a failure is reported by run(), not as unhandled.
  ready.catch(() => {});
  started.catch(() => {});
  return {
    async run(jobArgs) {
      args.push(...jobArgs);
      release();
      // `ready` rejects if the module never loads; `started`, if main fails.
      const [espeak] = await Promise.all([ready, started]);
      return espeak;
    },
  };
}

let spare: Spare | undefined;
let idleTimer: NodeJS.Timeout | undefined;

function takeSpare(): Spare {
  const s = spare ?? makeSpare();
  spare = undefined;
  clearTimeout(idleTimer);
  return s;
}

function prepareNext(): void {
  // After the job has answered, so making it never delays an announcement.
  setImmediate(() => {
    spare ??= makeSpare();
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => (spare = undefined), SPARE_IDLE_MS);
    idleTimer.unref();
  });
}

parentPort!.on('message', async (job: Job) => {
  try {
    const espeak = await takeSpare().run([
      '-v',
      job.voice,
      '-s',
      String(job.wpm),
      ...(job.ssml ? ['-m'] : []),
      '-w',
      '/out.wav',
      job.text,
    ]);
    const wav = espeak.FS.readFile('/out.wav');
    const copy = new Uint8Array(wav);
    parentPort!.postMessage({ id: job.id, wav: copy }, [copy.buffer]);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: String((err as Error)?.message ?? err) });
  } finally {
    prepareNext();
  }
});

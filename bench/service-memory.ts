/**
 * `npm run bench -- --only service-memory --receivers 1000`: the controller's memory run as the
 * README's service unit runs it — the compiled build under plain node with
 * `--max-old-space-size=256`, a commune YAML config, an external Mosquitto of its own — for the
 * issue 22 target "under 150 MB RSS at 1,000 receivers with an external broker".
 * Phases: at rest (30 s after start, no receivers), N receivers enrolled through the API and
 * online (real agents in a fleet process), three whole-commune broadcasts, the last with an
 * emergency 2 s into its acks, each round waited for until every receiver's "finished" ack of its
 * last one is stored, then 30 s of quiet, then the whole store checked once more.
 * The controller's VmRSS is sampled every 250 ms from /proc; VmHWM is its peak.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enrolReceiver } from '../firmware-bridge/simulator/fleet.js';
import { forkFleet, sendConfirmed, type FleetProcess } from './fleet-process.js';
import type { AgentConfig } from '../controller/protocol/agent-config.js';
import { uploadReadyTone } from '../tests/helpers/audio.js';
import { freePort, startControllerMosquitto } from '../tests/helpers/mosquitto.js';
import { fmt, nowMs, peakRssMb, procMemoryMb, resetPeakRss } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/controller/main.js');
/**
 * The node options of `npm start` (package.json), which the README's service unit repeats: the
 * bench runs the controller with exactly those (tests/unit/service-unit.test.ts keeps the two equal).
 */
const START_FLAGS: string[] = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((w) => w.startsWith('--'));
const HAMLETS = 10;
const SETTLE_MS = 30_000;
const ROUND_LIMIT_MS = 120_000;
/** How long into a broadcast's acks the last round's emergency comes. */
const OVERLAP_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ServiceMemoryResult {
  receivers: number;
  /** RSS 30 s after start, before any receiver. */
  rest_mb?: number;
  /** RSS once every receiver is enrolled and online. */
  online_mb?: number;
  online: number;
  /** VmHWM from start to the rest sample (loading, migrations, the first requests). */
  peak_start_mb?: number;
  /**
   * VmHWM over enrolment and connects, and from the first broadcast to the end; undefined when
   * the kernel refused to reset VmHWM between phases.
   */
  peak_enrol_mb?: number;
  peak_broadcasts_mb?: number;
  /**
   * The whole store checked once more (GET /api/coverage/verify: read in slices of the controller's thread),
   * after the broadcasts: a coverage view or a report runs the same check when the last is an hour
   * old, on a store that has grown since the first (an outsider saw +26-51 MB at such a view).
   */
  check?: { ms: number; acks: number; ok: boolean; peak_mb?: number };
  /** The largest 250 ms sample over the whole run (a check on VmHWM). */
  sampled_max_mb: number;
  settled_mb?: number;
  broker_peak_mb?: number;
  enrol_ms: number;
  rounds: { label: string; finished: number; started: number; ms: number }[];
  /** From the controller's /metrics at the end (prom-client's defaults), MB. */
  heap?: { used: number; total: number; external: number };
}

/** `npm run build -- --if-stale`, as `npm start` does: builds dist/ when it is missing or older than the sources. */
async function ensureBuild(): Promise<void> {
  const build = spawn('npm', ['run', '-s', 'build', '--', '--if-stale'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((r) => build.once('exit', r));
  if (code !== 0) throw new Error(`npm run build failed (exit ${code})`);
}

/** Prometheus text: the value of `name` (with exactly `labels`, when given). */
function metric(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ')[1]) : undefined;
}

export async function runServiceMemoryBench(receivers: number): Promise<ServiceMemoryResult> {
  await ensureBuild();
  const dir = mkdtempSync(join(tmpdir(), 'tt-service-memory-'));
  const mosquitto = await startControllerMosquitto(dir);
  const httpPort = await freePort();
  const url = `http://127.0.0.1:${httpPort}`;
  const config = join(dir, 'commune.yaml');
  const hamlets = Array.from({ length: HAMLETS }, (_, i) => `thon-${i + 1}`);
  const m = mosquitto.mqtt;
  writeFileSync(
    config,
    `commune: { id: xa-do-bo-nho, name: "Xã Đo Bộ Nhớ" }
hamlets:
${hamlets.map((id, i) => `  - { id: ${id}, name: "Thôn ${i + 1}", households: 100 }`).join('\n')}
data_dir: ${join(dir, 'data')}
log_level: warn
http: { host: 127.0.0.1, port: ${httpPort} }
mqtt:
  external_url: "${m.external_url}"
  external_username: "${m.external_username}"
  external_password_file: "${m.external_password_file}"
  mosquitto_dir: "${m.mosquitto_dir}"
broadcasts: { quiet_hours: null }
`,
  );
  // Only this config speaks: a TT_* variable of the shell (a port, a broker) would override it.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TT_')));
  env.TT_ADMIN_PASSWORD = 'mật-khẩu-đo-bộ-nhớ-rất-dài';
  const log = join(dir, 'controller.log');
  // Exactly the service unit's command line (README, "As a service").
  const controller: ChildProcess = spawn(process.execPath, [...START_FLAGS, MAIN, '--config', config], {
    cwd: ROOT,
    env,
    stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')],
  });
  const pid = controller.pid!;
  const samples: { at: number; mb: number }[] = [];
  const sampler = setInterval(() => {
    const mb = procMemoryMb(pid, 'VmRSS');
    if (mb !== undefined) samples.push({ at: nowMs(), mb });
  }, 250);
  let fleet: FleetProcess | undefined;
  try {
    for (let i = 0; ; i++) {
      if (controller.exitCode !== null || i > 600)
        throw new Error(`the controller did not come up:\n${readFileSync(log, 'utf8')}`);
      const ok = await fetch(`${url}/api/system/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(100);
    }
    const upAt = nowMs();
    // The compiled CLI, in its own process: nothing of it stays in the controller's memory.
    const token = execFileSync(
      process.execPath,
      [join(ROOT, 'dist/controller/cli/admin.js'), 'token', '--name', 'bench', '--role', 'admin', '--config', config],
      { cwd: ROOT, env },
    )
      .toString()
      .trim()
      .split('\n')
      .pop()!;
    const auth = { authorization: `Bearer ${token}` };
    const metrics = async () => (await fetch(`${url}/metrics`, { headers: auth })).text();
    await sleep(Math.max(0, upAt + SETTLE_MS - nowMs()));
    const rest_mb = procMemoryMb(pid, 'VmRSS');
    const peak_start_mb = peakRssMb(pid);
    // Each phase its own peak: VmHWM starts again from the RSS of now.
    let reset = resetPeakRss(pid);

    // Enrolment through the API, as a technician's tool does it, a few at a time.
    const enrolStart = nowMs();
    const configs: AgentConfig[] = new Array(receivers);
    for (let i = 0; i < receivers; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, receivers - i) }, async (_, k) => {
          const n = i + k;
          const hamlet = hamlets[n % HAMLETS];
          const id = `sim-${hamlet}-${String(n).padStart(5, '0')}`;
          configs[n] = await enrolReceiver(url, token, id, hamlet, id);
        }),
      );
    }
    const enrol_ms = nowMs() - enrolStart;
    const media = await uploadReadyTone(url, token, dir, 2);

    // The fleet in its own process (its own loop and descriptors).
    fleet = forkFleet();
    const { ask } = fleet;
    await ask('init', { configs, stateDir: join(dir, 'agents') });
    // Bounded: a receiver the broker never lets in must show as missing, not hang the bench.
    await Promise.race([ask('agents'), sleep(ROUND_LIMIT_MS)]);
    let online = 0;
    for (const deadline = nowMs() + ROUND_LIMIT_MS; nowMs() < deadline; await sleep(500)) {
      online = metric(await metrics(), 'tt_receivers', 'status="online"') ?? 0;
      if (online >= receivers) break;
    }
    const online_mb = procMemoryMb(pid, 'VmRSS');
    const peak_enrol_mb = reset ? peakRssMb(pid) : undefined;
    reset &&= resetPeakRss(pid);

    const rounds: ServiceMemoryResult['rounds'] = [];
    // The last round is what staff do when a warning comes in during the news: an emergency 2 s
    // into a whole-commune broadcast's acks. Run one after the other, an outsider's overlapping
    // use peaked 15-20 MB above this bench's (2026-12-04).
    const emergency = { priority: 'emergency', repeat_count: 1 };
    const plan: [string, object[]][] = [
      ['first broadcast (audio downloaded)', [{}]],
      ['second broadcast (audio cached)', [{}]],
      ['a broadcast, and 2 s into its acks an emergency', [{}, emergency]],
    ];
    for (const [label, sends] of plan) {
      const start = nowMs();
      let id = '';
      for (const [i, extra] of sends.entries()) {
        if (i > 0) await sleep(OVERLAP_MS);
        ({ id } = await sendConfirmed(url, token, { media_id: media.id, target: { all: true }, ...extra }));
      }
      // The coverage the desk reads, once a second, until every receiver's "finished" of the last
      // one sent is stored.
      let totals = { finished: 0, started: 0 };
      for (const deadline = start + ROUND_LIMIT_MS; nowMs() < deadline; await sleep(1000)) {
        const res = await fetch(`${url}/api/broadcasts/${id}/coverage`, { headers: auth });
        totals = ((await res.json()) as { totals: typeof totals }).totals;
        if (totals.finished >= receivers) break;
      }
      rounds.push({ label, finished: totals.finished, started: totals.started, ms: nowMs() - start });
    }
    await sleep(SETTLE_MS);
    const settled_mb = procMemoryMb(pid, 'VmRSS');
    const peak_broadcasts_mb = reset ? peakRssMb(pid) : undefined;
    reset &&= resetPeakRss(pid);
    const checkStart = nowMs();
    const verifyRes = await fetch(`${url}/api/coverage/verify`, { headers: auth });
    if (!verifyRes.ok) throw new Error(`the store check answered ${verifyRes.status}: ${await verifyRes.text()}`);
    const verified = (await verifyRes.json()) as { ok: boolean; acks: { rows: number } };
    const check = {
      ms: nowMs() - checkStart,
      acks: verified.acks.rows,
      ok: verified.ok,
      peak_mb: reset ? peakRssMb(pid) : undefined,
    };
    const text = await metrics();
    const mb = (name: string) => Math.round((metric(text, name) ?? NaN) / 1024 / 1024);
    return {
      receivers,
      rest_mb,
      online_mb,
      online,
      peak_start_mb,
      peak_enrol_mb,
      peak_broadcasts_mb,
      check,
      sampled_max_mb: Math.max(...samples.map((s) => s.mb)),
      settled_mb,
      broker_peak_mb: peakRssMb(mosquitto.broker.process.pid!),
      enrol_ms,
      rounds,
      heap: {
        used: mb('nodejs_heap_size_used_bytes'),
        total: mb('nodejs_heap_size_total_bytes'),
        external: mb('nodejs_external_memory_bytes'),
      },
    };
  } finally {
    clearInterval(sampler);
    if (fleet) {
      await Promise.race([fleet.ask('stop').catch(() => {}), sleep(10_000)]);
      fleet.process.kill();
    }
    if (controller.exitCode === null) {
      const exited = new Promise((r) => controller.once('exit', r));
      controller.kill('SIGTERM');
      // main.ts gives itself 4 s to stop; past that, make sure it does not keep the ports.
      if (!(await Promise.race([exited.then(() => true), sleep(6_000).then(() => false)]))) controller.kill('SIGKILL');
    }
    await mosquitto.broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printServiceMemoryBench(r: ServiceMemoryResult): void {
  const f = (mb: number | undefined) => (mb === undefined || Number.isNaN(mb) ? '?' : `${mb} MB`);
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(60)} ${value}`);
  console.log(
    `\nThe controller as the service unit runs it (node ${START_FLAGS.join(' ')} dist/controller/main.js),` +
      ` external Mosquitto, ${r.receivers} receivers in ${HAMLETS} hamlets`,
  );
  line('RSS at rest, 30 s after start (no receivers)', f(r.rest_mb));
  line(`enrolment through the API`, `${r.receivers} receivers in ${fmt(r.enrol_ms)}`);
  line('receivers online', `${r.online} of ${r.receivers}`);
  line('RSS with every receiver enrolled and online', f(r.online_mb));
  const peak = (mb: number | undefined) => (mb === undefined ? '? (the kernel refused to reset VmHWM)' : f(mb));
  line('peak RSS (VmHWM) from start to the rest sample', f(r.peak_start_mb));
  line('peak RSS (VmHWM) during enrolment and connects', peak(r.peak_enrol_mb));
  for (const round of r.rounds) {
    const short = round.finished < r.receivers ? ` — NOT ALL within ${ROUND_LIMIT_MS / 1000} s` : '';
    line(
      `  ${round.label}`,
      `finished ${round.finished}, started ${round.started} of ${r.receivers} after ${fmt(round.ms)}${short}`,
    );
  }
  line('peak RSS (VmHWM) during the broadcasts and the quiet after', peak(r.peak_broadcasts_mb));
  if (r.check)
    line(
      `the whole store checked (${r.check.acks} acks, ${r.check.ok ? 'intact' : 'PROBLEMS'}, ${fmt(r.check.ms)}): peak`,
      peak(r.check.peak_mb),
    );
  line('largest 250 ms RSS sample, whole run', f(r.sampled_max_mb));
  line(`RSS ${SETTLE_MS / 1000} s after the last broadcast (settled)`, f(r.settled_mb));
  if (r.heap)
    line(
      'V8 heap at the end (/metrics)',
      `${f(r.heap.used)} used of ${f(r.heap.total)}, external ${f(r.heap.external)}`,
    );
  line('Mosquitto peak RSS (VmHWM)', f(r.broker_peak_mb));
  const top = Math.max(
    ...[r.peak_start_mb, r.peak_enrol_mb, r.peak_broadcasts_mb, r.check?.peak_mb, r.sampled_max_mb].filter(
      (mb): mb is number => mb !== undefined,
    ),
  );
  const verdict = Number.isFinite(top) ? (top < 150 ? 'met' : 'not met') : 'unknown';
  console.log(
    `  target: under 150 MB at 1,000 receivers (issue 22): ${verdict} (peak ${f(top)}` +
      `${r.receivers === 1000 ? '' : `, this run at ${r.receivers} receivers`})`,
  );
}

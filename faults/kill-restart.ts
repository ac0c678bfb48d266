/**
 * Fault run: the controller is killed with SIGKILL at random moments while it broadcasts to a
 * fleet of real agents (and while a schedule plays), then started again on the same data, over
 * and over. The kill points cycle through:
 *  - fan-out: somewhere in the fan-out, the acks, the receipts (0-1.5 s after the 201);
 *  - download, early: 0-200 ms after the 201 of a broadcast whose audio no receiver holds yet;
 *  - download, in flight: once receivers are part-way through downloading that audio (the
 *    receivers download through a throttling relay that stands for the network, so downloads take
 *    a moment; the relay's connections die with the controller);
 *  - emergency confirmed: at once after the 201 that confirms an emergency (its 202 first).
 * Some broadcasts get a short window (expires_in_s 10) so a kill may leave no time to retry.
 * Afterwards it checks, and prints what it checked:
 *  - no accepted ack lost: every ack the controller receipted to a receiver is in the database;
 *  - every ack any receiver made is stored, once (receivers keep unreceipted acks on disk);
 *  - what was PLAYED: for every accepted broadcast and every targeted receiver, the coverage
 *    outcome (GET /api/broadcasts/:id/coverage) is `finished` and the agent itself played it
 *    (once), or it ended with a final reason (`failed` not caused by the kill, `rejected` not
 *    being retried). `download_failed` (a download cut by the kill), `waiting`, `no_answer` or
 *    a stage short of finished is a failure when the window left the receiver time to retry
 *    (an uptime of the controller inside the window of at least the re-send interval + 2 s);
 *    otherwise it is counted as "window too short" and reported, not failed;
 *  - scheduled items played from the receivers' caches, or are recorded as missed with a reason;
 *  - SQLite integrity_check, the ack hash chain with signatures and signed head, the audit chain.
 * And it prints how long after each restart the acks made before its kill were stored.
 * With `--broker mosquitto` the controller uses a Mosquitto of its own, which stays up through
 * the kills: the receivers' links stay up too, so an ack the controller had taken in but not
 * stored comes back only because the controller announces its new boot (PROTOCOL.md).
 * Usage: npm run test:faults [-- --kills 100 --receivers 10 --seed N --broker mosquitto --keep]
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, pipeline } from 'node:stream';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { verifyProof } from '../controller/proof/verify-proof.js';
import { FileAgentStore } from '../firmware-bridge/agent/agent-store.js';
import { SilentPlayer, type PlayRequest } from '../firmware-bridge/agent/players.js';
import { ReceiverAgent } from '../firmware-bridge/agent/receiver-agent.js';
import { enrolReceiver } from '../firmware-bridge/simulator/fleet.js';
import { freePort, startControllerMosquitto } from '../tests/helpers/mosquitto.js';
import { makeTone } from '../tests/helpers/audio.js';

const USAGE = `Usage: npm run test:faults -- [options]
  --kills N          SIGKILLs of the controller (default 100; CI: 15)
  --receivers N      agents, split over two hamlets (default 10; CI: 8)
  --seed N           the random seed (default: from the clock; printed)
  --retry-s N        the controller's delivery.retry_after_s and emergency.retry_after_s (default 2)
  --download-kbps N  the relay's speed per download, KB/s (default 600; the big audio is ~960 KB)
  --broker B         embedded (default: dies with the controller) or mosquitto (its own, stays up)
  --keep             keep the run's folder (data, logs) even when every check passes
  --help             this text`;
const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '100' },
    receivers: { type: 'string', default: '10' },
    seed: { type: 'string' },
    'retry-s': { type: 'string', default: '2' },
    'download-kbps': { type: 'string', default: '600' },
    broker: { type: 'string', default: 'embedded' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || (values.broker !== 'embedded' && values.broker !== 'mosquitto')) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
const KILLS = Number(values.kills);
const RECEIVERS = Number(values.receivers);
const RETRY_S = Number(values['retry-s']);
const DOWNLOAD_BYTES_PER_S = Number(values['download-kbps']) * 1000;
/** A receiver had time to retry when the controller stayed up this long inside the window. */
const RETRY_ROOM_MS = RETRY_S * 1000 + 2000;
let seed = Number(values.seed ?? Date.now() % 1_000_000);
const firstSeed = seed;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const ROOT = new URL('..', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A receiver's store that also remembers which acks the controller receipted. */
class WatchedStore extends FileAgentStore {
  readonly receipted = new Set<number>();
  override removeAcks(seqs: number[]): void {
    for (const s of seqs) this.receipted.add(s);
    super.removeAcks(seqs);
  }
}

/** Plays at a fifth of the audio's length, at most 0.4 s (long audio is only there to be downloaded). */
class QuickPlayer extends SilentPlayer {
  constructor() {
    super(0.2);
  }
  override play(request: PlayRequest, signal: AbortSignal): Promise<void> {
    return super.play({ ...request, duration_ms: Math.min(request.duration_ms, 2000) }, signal);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tt-faults-'));
const httpPort = await freePort();
const mqttPort = await freePort();
const relayPort = await freePort();
const url = `http://127.0.0.1:${httpPort}`;

/**
 * The network between the receivers and the controller's HTTP side (media downloads): a relay
 * that passes each download on at DOWNLOAD_BYTES_PER_S, so a download takes a moment. When the
 * controller goes down its connections go with it (cut()), and while it is down nothing answers.
 */
const relay = (() => {
  const active = new Set<{ res: ServerResponse; bytes: number }>();
  const server = createServer((req, res) => {
    const flow = { res, bytes: 0 };
    const up = httpRequest(
      { host: '127.0.0.1', port: httpPort, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        active.add(flow);
        const throttle = new Transform({
          highWaterMark: 16 * 1024,
          transform(chunk: Buffer, _enc, done) {
            flow.bytes += chunk.length;
            setTimeout(() => done(null, chunk), (chunk.length / DOWNLOAD_BYTES_PER_S) * 1000);
          },
        });
        pipeline(upRes, throttle, res, () => {
          active.delete(flow);
          if (!res.writableFinished) res.socket?.destroy();
        });
      },
    );
    up.on('error', () => {
      active.delete(flow);
      res.socket?.destroy(); // the controller is not there: the connection fails
    });
    req.pipe(up);
  });
  server.listen(relayPort, '127.0.0.1');
  return {
    /** Downloads under way that have passed some bytes on already. */
    inFlight: () => [...active].filter((f) => f.bytes > 0).length,
    cut: () => {
      for (const f of active) f.res.socket?.destroy();
      active.clear();
    },
    close: () => server.close(),
  };
})();

const mosquitto = values.broker === 'mosquitto' ? await startControllerMosquitto(dir) : undefined;
const mqttSettings = mosquitto
  ? `{ external_url: "${mosquitto.mqtt.external_url}", external_username: ${mosquitto.mqtt.external_username}, external_password_file: ${mosquitto.mqtt.external_password_file}, mosquitto_dir: ${mosquitto.mqtt.mosquitto_dir} }`
  : `{ embedded_host: 127.0.0.1, embedded_port: ${mqttPort} }`;
const config = join(dir, 'commune.yaml');
writeFileSync(
  config,
  `commune: { id: xa-loi, name: "Xã Thử Lỗi" }
hamlets:
  - { id: thon-1, name: "Thôn Một", households: 100 }
  - { id: thon-2, name: "Thôn Hai", households: 80 }
data_dir: ${join(dir, 'data')}
log_level: warn
http: { host: 127.0.0.1, port: ${httpPort}, public_url: "http://127.0.0.1:${relayPort}" }
mqtt: ${mqttSettings}
broadcasts: { quiet_hours: null }
programme: { tick_s: 1 }
delivery: { retry_after_s: ${RETRY_S} }
emergency: { retry_after_s: ${RETRY_S} }
`,
);
const env = { ...process.env, TT_ADMIN_PASSWORD: 'mật-khẩu-thử-lỗi-rất-dài' };

/** When the controller was up: [up, down) in ms, down null while it runs; spawned: when its process started. */
const uptimes: { spawned: number; up: number; down: number | null }[] = [];
let controller: ChildProcess | undefined;
let starts = 0;
async function startController(): Promise<void> {
  const log = openSync(join(dir, `controller-${String(++starts).padStart(3, '0')}.log`), 'a');
  const spawned = Date.now();
  controller = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'controller/main.ts'), '--config', config], {
    env,
    stdio: ['ignore', log, 'pipe'],
    cwd: ROOT,
  });
  let stderr = '';
  controller.stderr!.on('data', (d) => (stderr += d));
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/system/health`)).ok) {
        uptimes.push({ spawned, up: Date.now(), down: null });
        return;
      }
    } catch {
      /* not yet */
    }
    if (controller.exitCode !== null) throw new Error(`controller exited: ${stderr}`);
    await sleep(50);
  }
  throw new Error(`controller did not come up: ${stderr}`);
}
async function killController(): Promise<void> {
  const c = controller!;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  uptimes.at(-1)!.down = Date.now();
  relay.cut();
  await exited;
}

await startController();
const token = execFileSync(
  process.execPath,
  [
    '--import',
    'tsx',
    join(ROOT, 'controller/cli/admin.ts'),
    'token',
    '--name',
    'faults',
    '--role',
    'admin',
    '--config',
    config,
  ],
  { env, cwd: ROOT },
)
  .toString()
  .trim()
  .split('\n')
  .pop()!;
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
};

// The fleet, in this process: real agents, file stores, a speaker that takes a moment.
const agents: { agent: ReceiverAgent; store: WatchedStore; mediaDir: string }[] = [];
const made = new Map<string, { receiver: string; seq: number }>(); // receiver:command:stage -> seq
/**
 * receiver:seq -> receiver:command:stage of every ack made. A stage made twice for one command (an
 * item interrupted by an emergency plays again: a second `started`) is stored once by protocol
 * (PROTOCOL.md, store and forward): its receipt names a duplicate, not a lost ack.
 */
const madeBySeq = new Map<string, string>();
const played = new Map<string, number>(); // receiver:broadcast -> times the agent played it out
for (let i = 0; i < RECEIVERS; i++) {
  const id = `rx-${i}`;
  const cfg = await enrolReceiver(url, token, id, i % 2 ? 'thon-2' : 'thon-1', id);
  const stateDir = join(dir, 'agents', id);
  const store = new WatchedStore(stateDir);
  const logger = pino(
    { level: 'warn', base: { receiver_id: id } },
    pino.destination({ dest: join(dir, `agent-${id}.log`), sync: true }),
  );
  const agent = new ReceiverAgent({
    config: { ...cfg, state_dir: stateDir },
    store,
    player: new QuickPlayer(),
    logger,
    resend_after_ms: 2_000,
  });
  agent.on('ack', (a) => {
    const key = `${a.receiver_id}:${a.command_id}:${a.stage}`;
    madeBySeq.set(`${a.receiver_id}:${a.seq}`, key);
    if (!made.has(key)) made.set(key, { receiver: a.receiver_id, seq: a.seq });
  });
  agent.on('played', (c) => played.set(`${id}:${c.broadcast_id}`, (played.get(`${id}:${c.broadcast_id}`) ?? 0) + 1));
  await agent.start();
  agents.push({ agent, store, mediaDir: join(stateDir, 'media') });
}

async function upload(seconds: number, title: string): Promise<{ id: string; sha256: string; size_bytes?: number }> {
  const tone = makeTone(join(dir, `tone-${seconds}.wav`), seconds, 1);
  const form = new FormData();
  form.append('title', title);
  form.append('file', new Blob([readFileSync(tone)]), 'tone.wav');
  const { id } = (await (
    await fetch(`${url}/api/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
  ).json()) as { id: string };
  for (let i = 0; i < 300; i++) {
    const m = await api('GET', `/api/media/${id}`);
    if (m.body.status === 'ready') return m.body;
    if (m.body.status === 'failed') throw new Error(`transcode of ${title} failed`);
    await sleep(100);
  }
  throw new Error(`${title} not ready`);
}
const small = await upload(2, 'Thử lỗi');
// Long audio, only to be downloaded: evicted from the receivers' caches before each download kill.
const big = await upload(120, 'Thử lỗi: tải về');
const evictBig = () => {
  for (const a of agents) rmSync(join(a.mediaDir, `${big.sha256}.mp3`), { force: true });
};

// A programme that plays through the run: one item every 20 s (held by the receivers ahead).
const runSeconds = Math.max(60, KILLS * 3);
const schedules: string[] = [];
for (let at = 15; at < runSeconds; at += 20) {
  const local = DateTime.now().setZone('Asia/Ho_Chi_Minh').plus({ seconds: at });
  const s = await api('POST', '/api/schedules', {
    name: `Mục ${at}`,
    media_id: small.id,
    target: { all: true },
    start_time: local.toFormat('HH:mm:ss'),
    recurrence: { kind: 'once', date: local.toISODate() },
    missed: { policy: 'play_late', grace_min: 5 },
  });
  // The whole commune: saved switched off until confirmed, as staff do.
  const confirmed = s.status === 202 ? await api('POST', s.body.confirmation.confirm_url) : s;
  if (confirmed.status === 201) schedules.push(s.body.schedule.id);
  else console.log(`  scheduled item at +${at} s not saved: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
}

type KillPoint = 'fan-out' | 'download-early' | 'download-in-flight' | 'emergency-confirmed';
const KILL_POINTS: KillPoint[] = ['fan-out', 'download-early', 'download-in-flight', 'emergency-confirmed'];
const killPoints = new Map<KillPoint, number>(KILL_POINTS.map((k) => [k, 0]));
let inFlightAtKill = 0;
const accepted: { id: string; kind: KillPoint; at: number; expires_in_s: number }[] = [];
const refusedSends: string[] = [];
const started = Date.now();
console.log(
  `Fault run: ${KILLS} kills (SIGKILL) of the controller, ${RECEIVERS} receivers, ${schedules.length} scheduled items, re-sends every ${RETRY_S} s, seed ${firstSeed}`,
);
for (let k = 0; k < KILLS; k++) {
  const kind = KILL_POINTS[k % KILL_POINTS.length];
  const hamlet = k % 2 ? 'thon-2' : 'thon-1';
  const expires_in_s = k % 5 === 4 ? 10 : 900; // every fifth: a window a kill may close
  if (kind === 'emergency-confirmed') {
    const asked = await api('POST', '/api/broadcasts', {
      media_id: small.id,
      target: { hamlet_ids: [hamlet] },
      priority: 'emergency',
      repeat_count: 1,
      expires_in_s,
    });
    const confirmed = asked.status === 202 ? await api('POST', asked.body.confirmation.confirm_url) : asked;
    if (asked.status === 202 && confirmed.status === 201)
      accepted.push({ id: confirmed.body.id, kind, at: Date.now(), expires_in_s });
    else refusedSends.push(`${kind}: ${asked.status}/${confirmed.status} ${JSON.stringify(confirmed.body)}`);
    // at once
  } else {
    const download = kind !== 'fan-out';
    if (download) evictBig();
    const res = await api('POST', '/api/broadcasts', {
      media_id: download ? big.id : small.id,
      target: { hamlet_ids: [hamlet] },
      expires_in_s,
    });
    if (res.status === 201) accepted.push({ id: res.body.id, kind, at: Date.now(), expires_in_s });
    else refusedSends.push(`${kind}: ${res.status} ${JSON.stringify(res.body)}`);
    if (kind === 'fan-out')
      await sleep(random() * 1500); // somewhere in the fan-out, the acks, the receipts
    else if (kind === 'download-early') await sleep(random() * 200);
    else {
      const until = Date.now() + 3000;
      while (relay.inFlight() === 0 && Date.now() < until) await sleep(10);
      await sleep(random() * 300);
    }
  }
  inFlightAtKill += relay.inFlight();
  killPoints.set(kind, killPoints.get(kind)! + 1);
  await killController();
  await sleep(random() * 300);
  await startController();
  if ((k + 1) % 10 === 0)
    console.log(
      `  ${k + 1} kills, ${accepted.length} broadcasts accepted, ${Math.round((Date.now() - started) / 1000)} s`,
    );
}
const killsEnded = Date.now();

// Let the fleet finish: every ack receipted, every broadcast played or closed, the schedule over.
type Coverage = {
  broadcast_id: string;
  expires_at: string;
  hamlets: { receivers: { receiver_id: string; outcome: string; reason: string | null; retrying: string | null }[] }[];
};
const coverages = async (): Promise<Map<string, Coverage>> => {
  const out = new Map<string, Coverage>();
  for (const b of accepted) {
    const res = await api('GET', `/api/broadcasts/${b.id}/coverage`);
    if (res.status === 200) out.set(b.id, res.body);
  }
  return out;
};
const SETTLED = new Set(['finished', 'failed', 'rejected', 'no_answer']);
const lastSchedule = started + runSeconds * 1000 + 10_000;
let settled = false;
for (const deadline = Math.max(lastSchedule, killsEnded) + 120_000; Date.now() < deadline;) {
  const pending = agents.reduce((n, a) => n + a.agent.pendingAckCount(), 0);
  if (pending === 0 && Date.now() > lastSchedule && agents.every((a) => a.agent.heldItems().length === 0)) {
    const cov = await coverages();
    if (
      [...cov.values()].every((c) =>
        c.hamlets.every((h) => h.receivers.every((r) => SETTLED.has(r.outcome) && !r.retrying)),
      )
    ) {
      settled = true;
      break;
    }
  }
  await sleep(1000);
}
await sleep(1500);
const finalCoverage = await coverages();
const settledAfter = Math.round((Date.now() - killsEnded) / 1000);
for (const a of agents) await a.agent.stop();
controller!.kill('SIGTERM');
await new Promise((r) => controller!.once('exit', r));
uptimes.at(-1)!.down = Date.now();
relay.close();
await mosquitto?.broker.stop();

// ---- checks
const db = new Database(join(dir, 'data', 'controller.sqlite'), { readonly: true });
const problems: string[] = [];
const check = (ok: boolean, what: string, details: string[] = []) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  for (const d of details.slice(0, 20)) console.log(`         ${d}`);
  if (details.length > 20) console.log(`         … and ${details.length - 20} more`);
  if (!ok) problems.push(what);
};
const stored = new Map<string, number>(); // receiver:command:stage -> seq
for (const r of db.prepare('SELECT receiver_id, command_id, stage, seq FROM acks').all() as {
  receiver_id: string;
  command_id: string;
  stage: string;
  seq: number;
}[]) {
  stored.set(`${r.receiver_id}:${r.command_id}:${r.stage}`, r.seq);
}
const receiptedBySeq = agents.flatMap(({ agent, store }) => [...store.receipted].map((seq) => `${agent.id}:${seq}`));
const storedBySeq = new Set([...stored.entries()].map(([k, seq]) => `${k.split(':')[0]}:${seq}`));
const lostReceipted = receiptedBySeq.filter((k) => !storedBySeq.has(k) && !stored.has(madeBySeq.get(k) ?? ''));
const repeatedStages = madeBySeq.size - made.size;
const lostMade = [...made.keys()].filter((k) => !stored.has(k));
const duplicatedAcks = stored.size - (made.size - lostMade.length);
check(
  lostReceipted.length === 0,
  `every receipted ack is stored (${receiptedBySeq.length} receipts, ${lostReceipted.length} lost)`,
  lostReceipted,
);
check(
  lostMade.length === 0,
  `every ack the receivers made is stored (${made.size} acks, ${lostMade.length} lost)`,
  lostMade,
);
check(stored.size === made.size, `no duplicate or unknown ack (${stored.size} rows for ${made.size} acks)`);
check(
  agents.every((a) => a.agent.pendingAckCount() === 0),
  'no receiver holds an unreceipted ack',
);
const broadcastIds = new Set((db.prepare('SELECT id FROM broadcasts').all() as { id: string }[]).map((r) => r.id));
const missingBroadcasts = accepted.filter((b) => !broadcastIds.has(b.id)).map((b) => `${b.kind} ${b.id}`);
check(
  missingBroadcasts.length === 0 && refusedSends.length === 0,
  `every broadcast sent was accepted and exists (${accepted.length} of ${KILLS}; the API refused ${refusedSends.length})`,
  [...missingBroadcasts, ...refusedSends],
);

// What was played, receiver by receiver.
/** The controller was up, inside [from, to), for at least RETRY_ROOM_MS in one stretch. */
const roomToRetry = (from: number, to: number) =>
  uptimes.some((u) => Math.min(u.down ?? Infinity, to) - Math.max(u.up, from) >= RETRY_ROOM_MS);
const killCaused = (reason: string | null) => reason === 'download_failed' || reason === 'size_mismatch';
let targeted = 0;
let finished = 0;
const finalReasons = new Map<string, number>();
const tooShort = new Map<string, number>();
const notPlayed: string[] = [];
const playedMismatch: string[] = [];
const byKind = new Map<KillPoint, { targeted: number; finished: number }>(
  KILL_POINTS.map((k) => [k, { targeted: 0, finished: 0 }]),
);
for (const b of accepted) {
  const cov = finalCoverage.get(b.id);
  if (!cov) {
    notPlayed.push(`${b.kind} ${b.id}: no coverage`);
    continue;
  }
  const expiresAt = Date.parse(cov.expires_at);
  // After the kill that followed the send: the controller's stretches of uptime inside the window.
  const retryPossible = roomToRetry(b.at, expiresAt);
  for (const r of cov.hamlets.flatMap((h) => h.receivers)) {
    targeted++;
    byKind.get(b.kind)!.targeted++;
    const times = played.get(`${r.receiver_id}:${b.id}`) ?? 0;
    const label = `${b.kind} ${b.id} (window ${b.expires_in_s} s) ${r.receiver_id}: ${r.outcome}${r.reason ? ` ${r.reason}` : ''}${r.retrying ? ` retrying ${r.retrying}` : ''}`;
    if (r.outcome === 'finished') {
      finished++;
      byKind.get(b.kind)!.finished++;
      if (times !== 1) playedMismatch.push(`${label}, but the agent played it ${times} times`);
      continue;
    }
    if (times > 0) playedMismatch.push(`${label}, but the agent played it ${times} times`);
    const final = (r.outcome === 'failed' && !killCaused(r.reason)) || (r.outcome === 'rejected' && !r.retrying);
    if (final) {
      const key = `${r.outcome}:${r.reason ?? 'none'}`;
      finalReasons.set(key, (finalReasons.get(key) ?? 0) + 1);
    } else if (!retryPossible) {
      const key = `${r.outcome}${r.reason ? `:${r.reason}` : ''}`;
      tooShort.set(key, (tooShort.get(key) ?? 0) + 1);
    } else notPlayed.push(label);
  }
}
const fmt = (m: Map<string, number>) => (m.size ? [...m.entries()].map(([k, n]) => `${k} ${n}`).join(', ') : 'none');
check(
  notPlayed.length === 0,
  `every targeted receiver played every broadcast it had time for, or ended with a final reason (${notPlayed.length} not${settled ? '' : '; the run did not settle'})`,
  notPlayed,
);
check(
  playedMismatch.length === 0,
  `the agents' own record of what they played matches the coverage, each played once (${[...played.values()].reduce((a, b) => a + b, 0)} plays recorded)`,
  playedMismatch,
);

const occurrences = db
  .prepare("SELECT o.id, o.status, o.reason, o.broadcast_id FROM occurrences o WHERE o.status != 'cancelled'")
  .all() as { id: string; status: string; reason: string | null; broadcast_id: string | null }[];
const unplayed = occurrences.filter(
  (o) => o.status === 'dispatched' && agents.some(({ agent }) => !played.has(`${agent.id}:${o.broadcast_id}`)),
);
const missedWithoutReason = occurrences.filter((o) => o.status === 'missed' && !o.reason);
check(
  occurrences.length === schedules.length && unplayed.length === 0 && missedWithoutReason.length === 0,
  `scheduled items: ${occurrences.filter((o) => o.status === 'dispatched').length} played on every receiver, ${occurrences.filter((o) => o.status === 'missed').length} missed with a reason, of ${schedules.length}`,
);
const duplicates = db
  .prepare(
    "SELECT schedule_id, starts_at, count(*) AS n FROM occurrences WHERE status != 'cancelled' GROUP BY schedule_id, starts_at HAVING n > 1",
  )
  .all();
check(duplicates.length === 0, 'no occurrence was made twice');
check((db.pragma('integrity_check', { simple: true }) as string) === 'ok', 'SQLite integrity_check');
const keyPem = readFileSync(join(dir, 'data', 'secrets', 'controller-signing-key.pem'), 'utf8');
const proof = verifyProof(db as never, {
  trustedKeys: [createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString()],
  checkTriggers: true,
});
check(
  proof.ok,
  `proof: both logs, receivers' signatures, signed heads, key histories (${proof.acks.rows} acks, ${proof.audit.rows} audit entries, ${proof.acks.heads + proof.audit.heads} heads${proof.problems.length ? `: ${JSON.stringify(proof.problems.slice(0, 3))}` : ''})`,
);
// Heads at every start, however close the kills: the last start's head covers the whole audit log up to it.
check(
  proof.audit.heads > 0 && proof.acks.heads > 0,
  `heads were signed across ${KILLS} kills (${proof.acks.heads} ack heads, ${proof.audit.heads} audit heads)`,
);
/**
 * Acks made while a controller ran and stored only after it was killed: how long after the next
 * start they were stored. Those taken in but not stored when it died come back when their
 * receivers send them again: at once on a new link or a new boot, else after their 20 s resend.
 */
const lateAcks = (db.prepare('SELECT at, received_at FROM acks').all() as { at: string; received_at: string }[])
  .map((r) => ({ made: Date.parse(r.at), stored: Date.parse(r.received_at) }))
  .flatMap(({ made, stored }) => {
    const i = uptimes.findIndex((u) => u.down !== null && made >= u.up && made < u.down && stored >= u.down);
    const next = uptimes[i + 1];
    return i >= 0 && next ? [stored - next.spawned] : [];
  })
  .sort((a, b) => a - b);
const lateFigure = lateAcks.length
  ? `${lateAcks.length}, stored ${(lateAcks[Math.floor(lateAcks.length / 2)] / 1000).toFixed(1)} s (p50), ${(lateAcks.at(-1)! / 1000).toFixed(1)} s (max) after the controller's process started again`
  : 'none';
const auditRows = db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
db.close();
const auditCheck = execFileSync(
  process.execPath,
  ['--import', 'tsx', join(ROOT, 'controller/cli/admin.ts'), 'verify', '--json', '--config', config],
  { env, cwd: ROOT },
).toString();
check(JSON.parse(auditCheck).ok === true, `npm run admin -- verify on the data directory (${auditRows.n} audit rows)`);

const seconds = Math.round((Date.now() - started) / 1000);
console.log(`Summary (seed ${firstSeed}, ${seconds} s, settled ${settledAfter} s after the last kill):
  kill points: ${KILLS} (${KILL_POINTS.map((k) => `${k} ${killPoints.get(k)}`).join(', ')}; ${inFlightAtKill} downloads cut in flight)
  broadcasts: ${accepted.length} accepted (${accepted.filter((b) => b.expires_in_s <= 10).length} with a 10 s window), ${schedules.length} scheduled items
  targeted receiver-broadcasts: ${targeted}; finished ${finished} (${KILL_POINTS.map((k) => `${k} ${byKind.get(k)!.finished}/${byKind.get(k)!.targeted}`).join(', ')})
  final-reason outcomes: ${fmt(finalReasons)}
  window too short to retry (reported, not failed): ${fmt(tooShort)}
  not played though there was time: ${notPlayed.length}; play records differing from coverage: ${playedMismatch.length}
  broker: ${values.broker}; acks made before a kill and stored after it: ${lateFigure}
  acks: ${made.size} made, ${stored.size} stored, ${lostMade.length + lostReceipted.length} lost, ${Math.max(0, duplicatedAcks)} duplicated; ${repeatedStages} stage(s) made again (played again after an emergency: stored once by protocol)
${KILLS} kills in ${seconds} s: ${problems.length === 0 ? 'nothing lost, nothing duplicated, everything played that had time to' : `${problems.length} problems`}`);
if (problems.length === 0 && !values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`  run folder kept: ${dir} (controller-NNN.log per start, agent-rx-N.log, data/)`);
process.exit(problems.length === 0 ? 0 : 1);

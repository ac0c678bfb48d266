/**
 * Fault run: the controller is killed with SIGKILL at random moments while it broadcasts to a
 * fleet of real agents (and while a schedule plays), then started again on the same data, over
 * and over. Afterwards it checks, and prints what it checked:
 *  - no accepted ack lost: every ack the controller receipted to a receiver is in the database;
 *  - every ack any receiver made is stored, once (receivers keep unreceipted acks on disk);
 *  - every broadcast the API accepted (201) exists, and every enrolled receiver finished it;
 *  - scheduled items played from the receivers' caches, or are recorded as missed with a reason;
 *  - SQLite integrity_check, the ack hash chain with signatures and signed head, the audit chain.
 * Usage: npm run test:faults [-- --kills 100 --receivers 10]
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { verifyAckChain } from '../controller/coverage/ack-chain.js';
import { FileAgentStore } from '../firmware-bridge/agent/agent-store.js';
import { SilentPlayer } from '../firmware-bridge/agent/players.js';
import { ReceiverAgent } from '../firmware-bridge/agent/receiver-agent.js';
import { enrolReceiver } from '../firmware-bridge/simulator/fleet.js';
import { freePort } from '../tests/helpers/mosquitto.js';
import { makeTone } from '../tests/helpers/audio.js';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '100' }, receivers: { type: 'string', default: '10' }, seed: { type: 'string' } } });
const KILLS = Number(values.kills);
const RECEIVERS = Number(values.receivers);
let seed = Number(values.seed ?? Date.now() % 1_000_000);
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const ROOT = new URL('..', import.meta.url).pathname;

/** A receiver's store that also remembers which acks the controller receipted. */
class WatchedStore extends FileAgentStore {
  readonly receipted = new Set<number>();
  override removeAcks(seqs: number[]): void {
    for (const s of seqs) this.receipted.add(s);
    super.removeAcks(seqs);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tt-faults-'));
const httpPort = await freePort();
const mqttPort = await freePort();
const url = `http://127.0.0.1:${httpPort}`;
const config = join(dir, 'commune.yaml');
writeFileSync(config, `commune: { id: xa-loi, name: "Xã Thử Lỗi" }
hamlets:
  - { id: thon-1, name: "Thôn Một", households: 100 }
  - { id: thon-2, name: "Thôn Hai", households: 80 }
data_dir: ${join(dir, 'data')}
log_level: silent
http: { host: 127.0.0.1, port: ${httpPort} }
mqtt: { embedded_host: 127.0.0.1, embedded_port: ${mqttPort} }
broadcasts: { quiet_hours: null }
programme: { tick_s: 1 }
`);
const env = { ...process.env, TT_ADMIN_PASSWORD: 'mật-khẩu-thử-lỗi-rất-dài' };

let controller: ChildProcess | undefined;
async function startController(): Promise<void> {
  controller = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'controller/main.ts'), '--config', config], { env, stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT });
  let stderr = '';
  controller.stderr!.on('data', (d) => (stderr += d));
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/system/health`)).ok) return;
    } catch { /* not yet */ }
    if (controller.exitCode !== null) throw new Error(`controller exited: ${stderr}`);
    await sleep(50);
  }
  throw new Error(`controller did not come up: ${stderr}`);
}
async function killController(): Promise<void> {
  const c = controller!;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await exited;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await startController();
const token = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'controller/cli/admin.ts'), 'token', '--name', 'faults', '--role', 'admin', '--config', config], { env, cwd: ROOT }).toString().trim().split('\n').pop()!;
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json().catch(() => null) };
};

// The fleet, in this process: real agents, file stores, a speaker that takes a moment.
const agents: { agent: ReceiverAgent; store: WatchedStore }[] = [];
const made = new Map<string, { receiver: string; seq: number }>(); // receiver:command:stage -> seq
const played = new Set<string>(); // receiver:broadcast
for (let i = 0; i < RECEIVERS; i++) {
  const id = `rx-${i}`;
  const cfg = await enrolReceiver(url, token, id, i % 2 ? 'thon-2' : 'thon-1', id);
  const stateDir = join(dir, 'agents', id);
  const store = new WatchedStore(stateDir);
  const agent = new ReceiverAgent({ config: { ...cfg, state_dir: stateDir }, store, player: new SilentPlayer(0.2), logger: pino({ level: 'silent' }), resend_after_ms: 2_000 });
  agent.on('ack', (a) => made.set(`${a.receiver_id}:${a.command_id}:${a.stage}`, { receiver: a.receiver_id, seq: a.seq }));
  agent.on('played', (c) => played.add(`${id}:${c.broadcast_id}`));
  await agent.start();
  agents.push({ agent, store });
}

const tone = makeTone(join(dir, 'tone.wav'), 2);
const form = new FormData();
form.append('title', 'Thử lỗi');
form.append('file', new Blob([readFileSync(tone)]), 'tone.wav');
const uploaded = await (await fetch(`${url}/api/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).json() as { id: string };
for (let i = 0; i < 200 && (await api('GET', `/api/media/${uploaded.id}`)).body.status !== 'ready'; i++) await sleep(100);

// A programme that plays through the run: one item every 20 s (held by the receivers ahead).
const runSeconds = Math.max(60, KILLS * 3);
const schedules: string[] = [];
for (let at = 15; at < runSeconds; at += 20) {
  const local = DateTime.now().setZone('Asia/Ho_Chi_Minh').plus({ seconds: at });
  const s = await api('POST', '/api/schedules', { name: `Mục ${at}`, media_id: uploaded.id, target: { all: true }, start_time: local.toFormat('HH:mm:ss'), recurrence: { kind: 'once', date: local.toISODate() }, missed: { policy: 'play_late', grace_min: 5 } });
  if (s.status === 201) schedules.push(s.body.schedule.id);
}

const accepted: string[] = [];
const started = Date.now();
console.log(`Fault run: ${KILLS} kills (SIGKILL) of the controller, ${RECEIVERS} receivers, ${schedules.length} scheduled items, seed ${seed}`);
for (let k = 0; k < KILLS; k++) {
  const res = await api('POST', '/api/broadcasts', { media_id: uploaded.id, target: { hamlet_ids: [k % 2 ? 'thon-2' : 'thon-1'] }, expires_in_s: 3600 });
  if (res.status === 201) accepted.push(res.body.id);
  await sleep(random() * 1500); // somewhere in the fan-out, the acks, the receipts
  await killController();
  await sleep(random() * 300);
  await startController();
  if ((k + 1) % 10 === 0) console.log(`  ${k + 1} kills, ${accepted.length} broadcasts accepted, ${Math.round((Date.now() - started) / 1000)} s`);
}
// Let the fleet finish: every ack receipted, every broadcast played, the schedule over.
const lastSchedule = started + runSeconds * 1000 + 10_000;
for (let i = 0; i < 900; i++) {
  const pending = agents.reduce((n, a) => n + a.agent.pendingAckCount(), 0);
  if (pending === 0 && Date.now() > lastSchedule && agents.every((a) => a.agent.heldItems().length === 0)) break;
  await sleep(200);
}
await sleep(1500);
for (const a of agents) await a.agent.stop();
controller!.kill('SIGTERM');
await new Promise((r) => controller!.once('exit', r));

// ---- checks
const db = new Database(join(dir, 'data', 'controller.sqlite'), { readonly: true });
const problems: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(what);
};
const stored = new Map<string, number>(); // receiver:command:stage -> seq
for (const r of db.prepare('SELECT receiver_id, command_id, stage, seq FROM acks').all() as { receiver_id: string; command_id: string; stage: string; seq: number }[]) {
  stored.set(`${r.receiver_id}:${r.command_id}:${r.stage}`, r.seq);
}
const receiptedBySeq = agents.flatMap(({ agent, store }) => [...store.receipted].map((seq) => `${agent.id}:${seq}`));
const storedBySeq = new Set([...stored.entries()].map(([k, seq]) => `${k.split(':')[0]}:${seq}`));
check(receiptedBySeq.every((k) => storedBySeq.has(k)), `every receipted ack is stored (${receiptedBySeq.length} receipts)`);
check([...made.keys()].every((k) => stored.has(k)), `every ack the receivers made is stored (${made.size} acks)`);
check(stored.size === made.size, `no duplicate or unknown ack (${stored.size} rows for ${made.size} acks)`);
check(agents.every((a) => a.agent.pendingAckCount() === 0), 'no receiver holds an unreceipted ack');
const broadcastIds = new Set((db.prepare('SELECT id FROM broadcasts').all() as { id: string }[]).map((r) => r.id));
check(accepted.every((id) => broadcastIds.has(id)), `every accepted broadcast exists (${accepted.length})`);
const unfinished = db.prepare(`SELECT t.broadcast_id, t.receiver_id FROM broadcast_targets t JOIN broadcasts b ON b.id = t.broadcast_id
  WHERE b.source = 'manual' AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.broadcast_id = t.broadcast_id AND a.receiver_id = t.receiver_id AND a.stage IN ('finished', 'failed'))`).all();
check(unfinished.length === 0, `every targeted receiver finished every accepted broadcast (${unfinished.length} not)`);
const occurrences = db.prepare("SELECT o.id, o.status, o.reason, o.broadcast_id FROM occurrences o WHERE o.status != 'cancelled'").all() as { id: string; status: string; reason: string | null; broadcast_id: string | null }[];
const unplayed = occurrences.filter((o) => o.status === 'dispatched' && agents.some(({ agent }) => !played.has(`${agent.id}:${o.broadcast_id}`)));
const missedWithoutReason = occurrences.filter((o) => o.status === 'missed' && !o.reason);
check(occurrences.length === schedules.length && unplayed.length === 0 && missedWithoutReason.length === 0,
  `scheduled items: ${occurrences.filter((o) => o.status === 'dispatched').length} played on every receiver, ${occurrences.filter((o) => o.status === 'missed').length} missed with a reason, of ${schedules.length}`);
const duplicates = db.prepare('SELECT schedule_id, starts_at, count(*) AS n FROM occurrences WHERE status != \'cancelled\' GROUP BY schedule_id, starts_at HAVING n > 1').all();
check(duplicates.length === 0, 'no occurrence was made twice');
check((db.pragma('integrity_check', { simple: true }) as string) === 'ok', 'SQLite integrity_check');
const keyPem = readFileSync(join(dir, 'data', 'secrets', 'controller-signing-key.pem'), 'utf8');
const chain = verifyAckChain(db as never, createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString());
check(chain.ok, `ack chain, receivers' signatures and signed head (${chain.checked} acks${chain.problems.length ? `: ${JSON.stringify(chain.problems.slice(0, 3))}` : ''})`);
const auditRows = db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
db.close();
const auditCheck = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'controller/cli/admin.ts'), 'verify', '--config', config], { env, cwd: ROOT }).toString();
check(JSON.parse(auditCheck).audit.ok === true, `audit log chain (${auditRows.n} rows)`);
console.log(`${KILLS} kills in ${Math.round((Date.now() - started) / 1000)} s: ${problems.length === 0 ? 'nothing lost, nothing duplicated' : `${problems.length} problems`}`);
rmSync(dir, { recursive: true, force: true });
process.exit(problems.length === 0 ? 0 : 1);

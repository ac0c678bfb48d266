/**
 * Fault run: a real Mosquitto (the external-broker mode) is restarted over and over while the
 * controller broadcasts to a fleet of agents. Afterwards: every accepted broadcast was played by
 * every targeted receiver, every ack the receivers made is stored once, no receiver holds an
 * unreceipted ack. Commands survive in the controller's outbox (re-sent when a receiver comes
 * back), acks on the receivers' disks (re-sent until receipted).
 * Usage: npm run test:faults:broker [-- --restarts 50 --receivers 10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet } from '../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../tests/helpers/audio.js';
import { mosquittoAvailable, startControllerMosquitto, startMosquitto } from '../tests/helpers/mosquitto.js';
import { startTestController } from '../tests/helpers/test-controller.js';

const { values } = parseArgs({
  options: { restarts: { type: 'string', default: '50' }, receivers: { type: 'string', default: '10' } },
});
const RESTARTS = Number(values.restarts);
const PER_HAMLET = Math.max(1, Math.round(Number(values.receivers) / 2));
if (!mosquittoAvailable()) {
  console.error('Mosquitto is not installed (apt-get install mosquitto).');
  process.exit(2);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), 'tt-broker-faults-'));
const own = await startControllerMosquitto(dir);
const {
  port,
  mqtt: { mosquitto_dir: mosqDir },
} = own;
let broker = own.broker;
const tc = await startTestController({ mqtt: own.mqtt }, { dir });
const fleet = new Fleet({
  controllerUrl: tc.url,
  token: tc.token,
  hamlets: ['thon-1', 'thon-2'],
  perHamlet: PER_HAMLET,
  stateDir: join(dir, 'agents'),
  store: 'file',
  speed: 0.05,
});
await fleet.start();
const made = new Set<string>();
for (const a of fleet.agents) a.on('ack', (ack) => made.add(`${ack.receiver_id}:${ack.command_id}:${ack.stage}`));
const media = await uploadReadyTone(tc.url, tc.token, dir, 1);

const accepted: string[] = [];
const started = Date.now();
console.log(`Fault run: ${RESTARTS} restarts of Mosquitto during broadcasts, ${fleet.agents.length} receivers`);
for (let i = 0; i < RESTARTS; i++) {
  const b = await tc.api('POST', '/api/broadcasts', {
    media_id: media.id,
    target: { hamlet_ids: [i % 2 ? 'thon-2' : 'thon-1'] },
    expires_in_s: 3600,
  });
  if (b.status === 201) accepted.push(b.body.id);
  await sleep(Math.random() * 800);
  await broker.stop();
  await sleep(Math.random() * 500);
  broker = await startMosquitto(mosqDir, port);
  if ((i + 1) % 10 === 0)
    console.log(
      `  ${i + 1} restarts, ${accepted.length} broadcasts accepted, ${Math.round((Date.now() - started) / 1000)} s`,
    );
}

const problems: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(what);
};
const db = tc.controller.db;
const unfinished = () =>
  db
    .prepare(
      `SELECT count(*) AS n FROM broadcast_targets t WHERE NOT EXISTS
  (SELECT 1 FROM acks a WHERE a.broadcast_id = t.broadcast_id AND a.receiver_id = t.receiver_id AND a.stage IN ('finished', 'failed'))`,
    )
    .get() as { n: number };
for (let i = 0; i < 600 && (unfinished().n > 0 || fleet.agents.some((a) => a.pendingAckCount() > 0)); i++)
  await sleep(200);
const stored = new Set(
  (
    db.prepare('SELECT receiver_id, command_id, stage FROM acks').all() as {
      receiver_id: string;
      command_id: string;
      stage: string;
    }[]
  ).map((r) => `${r.receiver_id}:${r.command_id}:${r.stage}`),
);
check(accepted.length === RESTARTS, `every broadcast was accepted (${accepted.length})`);
check(unfinished().n === 0, `every targeted receiver played every broadcast (${unfinished().n} not)`);
check(
  [...made].every((k) => stored.has(k)) && stored.size === made.size,
  `every ack made is stored once (${made.size} acks, ${stored.size} rows)`,
);
check(
  fleet.agents.every((a) => a.pendingAckCount() === 0),
  'no receiver holds an unreceipted ack',
);
check((await tc.controller.coverage.verifyAll()).ok, 'proof: ack chain, signatures, heads');
console.log(
  `${RESTARTS} broker restarts in ${Math.round((Date.now() - started) / 1000)} s: ${problems.length === 0 ? 'no command and no ack lost' : `${problems.length} problems`}`,
);
await fleet.stop();
await tc.close();
await broker.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(problems.length === 0 ? 0 : 1);

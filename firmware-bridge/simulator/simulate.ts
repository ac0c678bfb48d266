/**
 * `npm run simulate -- [options]`: runs a fleet of simulated receivers against a running
 * controller until Ctrl-C, printing what they play.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet } from './fleet.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    'token-file': { type: 'string' },
    hamlets: { type: 'string' },
    count: { type: 'string', default: '2' },
    'state-dir': { type: 'string', default: join(tmpdir(), 'truyen-thanh-sim') },
    memory: { type: 'boolean', default: false },
    speed: { type: 'string', default: '1' },
    'fail-playback': { type: 'string', default: '0' },
    'delay-ms': { type: 'string', default: '0' },
    'drop-link-every-s': { type: 'string', default: '0' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Mô phỏng cụm loa / Simulated receivers
  --url URL                controller (default http://127.0.0.1:8080)
  --token-file FILE        an API token with the technician (or admin) role; or set TT_TOKEN
                           (make one: npm run -s admin -- token --name simulator --role technician)
  --hamlets a,b            hamlet ids (default: every hamlet)
  --count N                receivers per hamlet (default 2)
  --speed X                playback takes X times the audio duration (default 1; 0 = instant)
  --fail-playback R        share of playbacks that fail, 0..1
  --delay-ms MS            delay before each command is handled
  --drop-link-every-s S    every S seconds, one random receiver loses its link for 10 s
  --memory                 keep agent state in memory instead of files
  --state-dir DIR          where agents keep state and cached audio`);
  process.exit(0);
}

const token = values['token-file'] ? readFileSync(values['token-file'], 'utf8').trim() : process.env.TT_TOKEN;
if (!token) {
  console.error('Cần mã truy cập: --token-file FILE hoặc biến TT_TOKEN.\nAn API token is needed: --token-file FILE or TT_TOKEN.');
  process.exit(2);
}
const url = values.url!;
let hamlets = values.hamlets?.split(',').map((h) => h.trim()).filter(Boolean);
if (!hamlets) {
  const res = await fetch(`${url}/api/hamlets`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`cannot list hamlets: HTTP ${res.status}`);
  hamlets = ((await res.json()) as { id: string }[]).map((h) => h.id);
}

const fleet = new Fleet({
  controllerUrl: url, token, hamlets, perHamlet: Number(values.count), stateDir: values['state-dir']!,
  store: values.memory ? 'memory' : 'file', speed: Number(values.speed),
  faults: { fail_playback_ratio: Number(values['fail-playback']), processing_delay_ms: Number(values['delay-ms']) },
});
await fleet.start();
console.log(`${fleet.agents.length} cụm loa mô phỏng đã kết nối / simulated receivers connected (${hamlets.join(', ')})`);
for (const agent of fleet.agents) {
  agent.on('playing', (c) => console.log(`▶ ${agent.id}: đang phát / playing ${c.broadcast_id} (${c.priority})`));
  agent.on('played', (c) => console.log(`✓ ${agent.id}: đã phát xong / finished ${c.broadcast_id}`));
  agent.on('refused', (r) => console.log(`✗ ${agent.id}: từ chối lệnh / refused a command: ${r.reason}`));
  agent.on('ack', (a) => a.stage === 'failed' && console.log(`! ${agent.id}: lỗi / failed ${a.reason}`));
}
const dropEvery = Number(values['drop-link-every-s']);
if (dropEvery > 0) {
  setInterval(() => {
    const agent = fleet.agents[Math.floor(Math.random() * fleet.agents.length)];
    console.log(`~ ${agent.id}: mất kết nối 10 giây / link dropped for 10 s`);
    agent.dropLink(10_000);
  }, dropEvery * 1000);
}
process.on('SIGINT', () => void fleet.stop().then(() => process.exit(0)));
process.on('SIGTERM', () => void fleet.stop().then(() => process.exit(0)));

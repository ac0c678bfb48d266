/**
 * `npm run simulate -- [options]`: runs a fleet of simulated receivers against a running
 * controller until Ctrl-C, printing what they play. It finds the controller where the controller's
 * own settings put it (the config file `npm start` reads, or --config / TT_CONFIG, and TT_HTTP_PORT
 * and the like), unless --url says otherwise; a controller it cannot reach is said in one line.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ControllerApi,
  explainToolError,
  inBothLanguages,
  localApiUrl,
  readToken,
  ToolError,
} from '../../controller/cli/controller-api.js';
import { configFilePath } from '../../controller/config-file.js';
import { holdDirOrExit } from '../../controller/shared/dir-lock.js';
import { makeDirs } from '../agent/agent-store.js';
import { loadSettings } from '../../controller/settings.js';
import { Fleet } from './fleet.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    config: { type: 'string' },
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
  --url URL                controller (default: from the config the controller reads, as below)
  --config FILE            that config (default: TT_CONFIG, else config/commune.yaml, else the example)
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

// One simulator per state directory: a second on the same one would run the same receivers'
// agents twice, each taking the other's link and overwriting its state.
const stateDir = values['state-dir']!;
try {
  makeDirs(stateDir);
} catch (err) {
  console.error(explainToolError(err));
  process.exit(1);
}
holdDirOrExit(
  stateDir,
  { file: 'simulator.pid', program: 'simulat' },
  {
    refusal: (pid) => inBothLanguages('simulator_state_dir_in_use', { pid, dir: stateDir }),
    unlockable: (error) => inBothLanguages('state_dir_unlockable', { dir: stateDir, error }),
  },
);

let fleet: Fleet;
let hamlets: string[];
try {
  const token = readToken(values['token-file']);
  const configPath = configFilePath(values.config);
  const settings = loadSettings(configPath);
  const url = values.url ?? localApiUrl(settings);
  const ca = settings.tls_ca_file ? readFileSync(settings.tls_ca_file, 'utf8') : undefined;
  // Asking for the hamlets first proves the address and the token before any receiver is enrolled.
  const known = (
    await new ControllerApi({ url, token, configPath, ca }).request<{ id: string }[]>('GET', '/api/hamlets')
  ).map((h) => h.id);
  hamlets =
    values.hamlets
      ?.split(',')
      .map((h) => h.trim())
      .filter(Boolean) ?? known;
  const unknown = hamlets.filter((h) => !known.includes(h));
  if (unknown.length) throw new ToolError('unknown_hamlets', { ids: unknown.join(', ') }, 2);
  fleet = new Fleet({
    controllerUrl: url,
    token,
    hamlets,
    perHamlet: Number(values.count),
    stateDir,
    store: values.memory ? 'memory' : 'file',
    speed: Number(values.speed),
    ca,
    faults: { fail_playback_ratio: Number(values['fail-playback']), processing_delay_ms: Number(values['delay-ms']) },
  });
  await fleet.start();
} catch (err) {
  console.error(explainToolError(err));
  process.exit(err instanceof ToolError ? err.exitCode : 1);
}
console.log(
  `${fleet.agents.length} cụm loa mô phỏng đã kết nối / simulated receivers connected (${hamlets.join(', ')})`,
);
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

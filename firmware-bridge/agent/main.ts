/**
 * The agent on a real receiver: `tsx firmware-bridge/agent/main.ts --config /etc/truyen-thanh-agent.json`
 * (the file the controller produced at enrolment). Exit code 2: the file cannot be read or is not
 * valid (each wrong field said in Vietnamese then English, never a stack trace).
 */
import { inBoth, inBothLanguages } from '../../controller/i18n/messages.js';
import { holdDirOrExit } from '../../controller/shared/dir-lock.js';
import { readAgentConfigFile } from '../bridge/bridge-config.js';
import { ReceiverAgent } from './receiver-agent.js';
import { configOption } from './config-option.js';
import { makeDirs } from './agent-store.js';

const configFile = configOption('agent_usage', '/etc/truyen-thanh-agent.json');
// A file that cannot be read or a field that is wrong: said in words, as the bridge says its own (exit 2).
const problems: { vi: string; en: string }[] = [];
const config = readAgentConfigFile(configFile, (what) => problems.push(what));
if (!config) {
  console.error(problems.map((p) => `${p.vi}\n${p.en}`).join('\n\n'));
  process.exit(2);
}
// One agent per receiver: a second (run by hand beside the service) would take the link from the
// first and overwrite its state.
try {
  makeDirs(config.state_dir);
  holdDirOrExit(
    config.state_dir,
    { file: 'agent.pid', program: 'agent/main.' },
    {
      refusal: (pid) => inBothLanguages('agent_state_dir_in_use', { pid, dir: config.state_dir }),
      unlockable: (error) => inBothLanguages('state_dir_unlockable', { dir: config.state_dir, error }),
    },
  );
} catch {
  // A state directory that cannot be made: said by the agent's store below, with the path.
}
let agent = new ReceiverAgent({ config });
await agent.start(false);
const running = inBoth('agent_running', {
  receiver: config.receiver_id,
  hamlet: config.hamlet_id,
  broker: config.mqtt_url,
});
console.log(`${running.vi}\n${running.en}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void agent.stop().then(() => process.exit(0)));

/**
 * Under a service manager (systemd sets INVOCATION_ID; others may set TT_AGENT_SUPERVISED=1) a
 * remote restart, an update or a rollback exits and the manager starts the agent again (the new
 * version, for an update). Run by hand, exiting would leave the hamlet without its speaker until
 * someone came: the agent starts again inside this process instead (an update then runs only after
 * the next start, which is said).
 */
const supervised = Boolean(process.env.INVOCATION_ID || process.env.TT_AGENT_SUPERVISED);
const onRestart = () =>
  void agent.stop().then(async () => {
    if (supervised) process.exit(0);
    const said = inBoth('agent_restart_in_process');
    console.warn(`${said.vi}\n${said.en}`);
    agent = new ReceiverAgent({ config });
    agent.on('restart', onRestart);
    await agent.start(false);
  });
agent.on('restart', onRestart);

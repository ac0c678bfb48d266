/**
 * mqtt.js's own debug log (controller/shared/mqtt-debug-log.ts): silent unless DEBUG asks for it,
 * and there when asked, for the controller's link and a receiver's as a technician would run them,
 * never with a password in it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PASSWORD = 'broker-password-never-in-a-log';
const dir = mkdtempSync(join(tmpdir(), 'tt-debug-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A controller's link, or a receiver agent's, trying a port where nothing listens, in a process of
 * its own, each with PASSWORD as its broker password; its stderr.
 */
function stderrOfALink(env: NodeJS.ProcessEnv, who: 'controller' | 'receiver' = 'controller'): string {
  const start =
    who === 'controller'
      ? `
    import { pino } from 'pino';
    import { ControllerMqtt } from './controller/mqtt/mqtt-client.ts';
    import { systemClock } from './controller/clock.ts';
    const link = new ControllerMqtt({ username: 'u', password: '${PASSWORD}', clientId: 'debug-log-test' }, pino({ level: 'silent' }), systemClock);
    link.start('mqtt://127.0.0.1:1', [], () => {}).catch(() => {});`
      : `
    import { agentOnBroker } from './tests/helpers/agents.ts';
    const agent = agentOnBroker({ mqttUrl: 'mqtt://127.0.0.1:1', secret: '${PASSWORD}', stateDir: '${dir}' });
    agent.start(false).catch(() => {});`;
  const script = `${start}
    setTimeout(() => process.exit(0), 500);
  `;
  const { DEBUG: _, ...rest } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...rest, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stderr;
}

describe("mqtt.js's own debug log", () => {
  it('prints nothing unless DEBUG is set, and prints when DEBUG=mqttjs* asks for it', () => {
    expect(stderrOfALink({})).not.toContain('mqttjs');
    expect(stderrOfALink({ DEBUG: 'mqttjs*' })).toContain('mqttjs:client');
  }, 60_000);

  it('masks the password of the CONNECT it prints, also with every library debugging (DEBUG=*)', () => {
    const log = stderrOfALink({ DEBUG: 'mqttjs*' });
    expect(log).toContain("cmd: 'connect'");
    expect(log).toContain('[masked]');
    expect(log).not.toContain(PASSWORD);
    const everything = stderrOfALink({ DEBUG: '*' });
    expect(everything).toContain('mqtt-packet'); // the packet writer's own log is on
    expect(everything).not.toContain(PASSWORD);
  }, 60_000);

  it("masks a receiver's secret too, in the agent's CONNECT, with every library debugging", () => {
    const log = stderrOfALink({ DEBUG: '*' }, 'receiver');
    expect(log).toContain("cmd: 'connect'");
    expect(log).toContain('[masked]');
    expect(log).not.toContain(PASSWORD);
  }, 60_000);
});

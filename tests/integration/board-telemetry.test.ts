/**
 * The agent reports what a Linux board can measure (issue 19: the temperature and signal charts
 * were always empty): the hottest thermal zone, the Wi-Fi/modem signal level, its own volume and
 * free storage; and leaves out what the board does not have.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { readBoard } from '../../firmware-bridge/agent/board-readings.js';
import { startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let board: string;
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController();
  board = mkdtempSync(join(tmpdir(), 'tt-board-'));
  for (const [zone, milli] of [
    ['thermal_zone0', '48250'],
    ['thermal_zone1', '51000'],
  ]) {
    mkdirSync(join(board, 'sys/class/thermal', zone), { recursive: true });
    writeFileSync(join(board, 'sys/class/thermal', zone, 'temp'), `${milli}\n`);
  }
  mkdirSync(join(board, 'proc/net'), { recursive: true });
  writeFileSync(
    join(board, 'proc/net/wireless'),
    'Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE\n face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22\n wlan0: 0000   54.  -56.  -256        0      0      0      0      0        0\n',
  );
}, 30_000);
afterAll(async () => {
  for (const a of agents) await a.stop();
  await tc?.close();
  rmSync(board, { recursive: true, force: true });
});

describe('what a receiver reports about its board', () => {
  it('sends the hottest thermal zone, the signal level, its volume and free storage; the controller keeps them', async () => {
    const agent = await startTestAgent(tc, 'rx-bo-mach', 'thon-1', { board_root: board });
    agents.push(agent);
    agent.reportHealthNow();
    await waitFor(() => tc.controller.presence.latestTelemetry('rx-bo-mach') !== undefined, 'telemetry arrives');
    expect(tc.controller.presence.latestTelemetry('rx-bo-mach')).toMatchObject({
      temperature_c: 51,
      rssi_dbm: -56,
      network: 'wifi',
      volume_pct: 100,
      free_storage_bytes: expect.any(Number),
    });
  });

  it('leaves out what the board does not have, never inventing a value', () => {
    expect(readBoard(join(board, 'nothing-here'))).toEqual({});
  });
});

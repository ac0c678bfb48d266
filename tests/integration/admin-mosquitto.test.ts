/**
 * `npm run admin -- mosquitto` writes an external Mosquitto's files. Its listener took every
 * interface with no way to say otherwise: an outsider trying it on one machine had to edit the
 * generated mosquitto.conf by hand (session 22). `--host` says where it listens.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../controller/db/database.js';
import { runAdmin } from '../helpers/admin-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-admin-mosquitto-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The tool reads the receivers from a controller's database: an empty one, as after a first start.
mkdirSync(join(dir, 'data'));
openDatabase(join(dir, 'data', 'controller.sqlite')).close();

const admin = (args: string[]) => runAdmin(args, join(dir, 'data'));

const listenerOf = (out: string) => readFileSync(join(out, 'mosquitto.conf'), 'utf8').match(/^listener .*$/m)?.[0];

describe('admin mosquitto', () => {
  it('listens where --host says, and on every interface without it', async () => {
    const pw = join(dir, 'mqtt-password');
    const loopback = await admin([
      'mosquitto',
      '--out',
      join(dir, 'loopback'),
      '--controller-password-file',
      pw,
      '--port',
      '21883',
      '--host',
      '127.0.0.1',
    ]);
    expect(loopback.code).toBe(0);
    expect(listenerOf(join(dir, 'loopback'))).toBe('listener 21883 127.0.0.1');
    expect((await admin(['mosquitto', '--out', join(dir, 'all'), '--controller-password-file', pw])).code).toBe(0);
    expect(listenerOf(join(dir, 'all'))).toBe('listener 1883 0.0.0.0');
  }, 60_000);
});

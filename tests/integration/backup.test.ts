/**
 * A backup taken while the controller runs (npm run admin -- backup) starts as a controller of its
 * own with the same receivers, broadcasts and proof, and verifies; it never overwrites a backup.
 * An outsider found no way to back up at all (session 18): copying a live database by hand can
 * catch it between two writes.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { runAdmin } from '../helpers/admin-cli.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let restored: TestController | undefined;
let agent: ReceiverAgent;
const copyDir = mkdtempSync(join(tmpdir(), 'tt-backup-'));

/** The admin tool on a data directory (the running controller's, unless another is named). */
const admin = (args: string[], dataDir = join(tc.dir, 'data')) => runAdmin(args, dataDir);

beforeAll(async () => {
  tc = await startTestController();
  agent = await startTestAgent(tc, 'rx-sao-luu', 'thon-1');
}, 60_000);
afterAll(async () => {
  await agent?.stop();
  await restored?.close();
  await tc?.close();
  rmSync(copyDir, { recursive: true, force: true });
});

describe('a backup of the data directory', () => {
  it('is taken while the controller runs, starts on its own with the same data, verifies, and is never overwritten', async () => {
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    const b = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { receiver_ids: ['rx-sao-luu'] } });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    await waitFor(async () => (await coverageRow(tc, b.body.id, 'rx-sao-luu'))?.outcome === 'finished', 'played');

    const out = join(copyDir, 'data');
    const made = await admin(['backup', '--out', out]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('Đã sao lưu thư mục dữ liệu');
    expect(existsSync(join(out, 'controller.pid'))).toBe(false); // the running controller's lock stays behind
    // A second backup into the same place is refused, in words, and changes nothing.
    const again = await admin(['backup', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('đã có dữ liệu');

    const verified = await admin(['verify'], out);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('Bằng chứng nguyên vẹn');

    // Restored: a controller started on the copy has the receiver, the broadcast and its proof, and the audio.
    restored = await startTestController({}, { dir: copyDir, keepDir: true });
    expect((await restored.api('GET', '/api/receivers/rx-sao-luu')).body).toMatchObject({
      id: 'rx-sao-luu',
      enrolled: true,
    });
    expect((await coverageRow(restored, b.body.id, 'rx-sao-luu'))?.outcome).toBe('finished');
    expect((await restored.api('GET', `/api/media/${media.id}`)).body).toMatchObject({ status: 'ready' });
  }, 120_000);
});

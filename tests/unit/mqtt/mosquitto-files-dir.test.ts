/** The controller writes Mosquitto's files into the folder its config names, making it when it is not there yet. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mosquittoHash, writeMosquittoFiles } from '../../../controller/mqtt/mosquitto-files.js';

describe('the Mosquitto files', () => {
  it('are written into a folder that does not exist yet', () => {
    const root = mkdtempSync(join(tmpdir(), 'mosq-'));
    const dir = join(root, 'not', 'yet');
    writeMosquittoFiles(dir, mosquittoHash('a-long-controller-secret'), []);
    expect(existsSync(join(dir, 'passwd'))).toBe(true);
    expect(existsSync(join(dir, 'acl'))).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });
});

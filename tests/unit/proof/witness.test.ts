/** The witness: every head leaves the box, to a directory and to a URL; a URL that fails gets it later, in order. */
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Witness } from '../../../controller/proof/witness.js';
import type { AnchorRecord } from '../../../controller/proof/anchor-records.js';
import { readAnchors } from '../../../controller/proof/anchors.js';

const head = (n: number): AnchorRecord => ({
  kind: 'head',
  log: 'acks',
  head_seq: n,
  chain_seq: n * 10,
  hash: 'a'.repeat(64),
  prev_head: 'b'.repeat(64),
  signed_at: '2026-12-01T00:00:00.000Z',
  key_id: 'k',
  sig: 'c2ln',
});
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the witness', () => {
  it('appends every record to anchors.jsonl, which the verifier reads back as anchors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'witness-'));
    dirs.push(dir);
    const w = new Witness({ witness_dir: dir, witness_url: null }, pino({ level: 'silent' }));
    for (let i = 1; i <= 3; i++) w.record(head(i));
    const text = readFileSync(join(dir, 'anchors.jsonl'), 'utf8');
    expect(text.trim().split('\n')).toHaveLength(3);
    expect(readAnchors(`${text}{"torn":`, 'witness').map((a) => (a as { head_seq: number }).head_seq)).toEqual([
      1, 2, 3,
    ]);
  });

  it('POSTs every record to the URL; when the URL fails, they wait and go in order once it answers', async () => {
    const got: number[] = [];
    let failing = true;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failing) {
          res.statusCode = 503;
          res.end();
          return;
        }
        got.push(JSON.parse(body).head_seq);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/anchors`;
    try {
      const w = new Witness({ witness_dir: null, witness_url: url }, pino({ level: 'silent' }));
      w.record(head(1));
      w.record(head(2));
      await w.flush();
      expect(got).toEqual([]);
      failing = false;
      w.record(head(3));
      await new Promise((r) => setTimeout(r, 200));
      await w.flush();
      expect(got).toEqual([1, 2, 3]);
    } finally {
      server.close();
    }
  });
});

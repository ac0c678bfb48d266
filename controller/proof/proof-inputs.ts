/** What the verifier's users hand it — the published keys and their anchor files — read with a clear error for each mistake. */
import { readFileSync } from 'node:fs';
import type { AnchorRecord } from './anchor-records.js';
import { readAnchors } from './anchors.js';

export class ProofInputError extends Error {
  constructor(
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

export function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ProofInputError(`Không đọc được tệp ${file} (${reason}).`, `Cannot read the file ${file} (${reason}).`);
  }
}

/** PEMs from a keys.json (GET /api/proof/keys) or a PEM file. */
export function readKeysFile(file: string): string[] {
  const text = readInput(file).toString('utf8');
  if (text.includes('-----BEGIN PUBLIC KEY-----') && !text.trim().startsWith('{')) return [text];
  try {
    const parsed = JSON.parse(text) as { keys?: { public_key: string }[] };
    if (parsed.keys?.length) return parsed.keys.map((k) => k.public_key);
  } catch {
    /* said below */
  }
  throw new ProofInputError(
    `Không đọc được khóa trong ${file}: cần nội dung của GET /api/proof/keys hoặc một tệp PEM.`,
    `No keys read from ${file}: give what GET /api/proof/keys returned, or a PEM file.`,
  );
}

/** Anchors from each file; a file that holds none is a mistake (a report PDF, the keys), never silently "intact". */
export function readAnchorFiles(files: string[]): AnchorRecord[] {
  return files.flatMap((file) => {
    const found = readAnchors(readInput(file).toString('utf8'), file);
    if (found.length === 0) {
      throw new ProofInputError(
        `Không tìm thấy bản sao đối chiếu nào trong ${file}: cần tệp anchors.jsonl của nơi lưu chứng, state.json của một cụm loa, hoặc một báo cáo đã gửi tỉnh.`,
        `No anchors found in ${file}: give a witness's anchors.jsonl, a receiver's state.json, or an upward report as received.`,
      );
    }
    return found;
  });
}

/**
 * Anchors: copies of signed heads and key fingerprints kept where the commune's database cannot
 * change them (a receiver's state, the province's copy of upward reports, a witness). The
 * verifier compares a bundle with them. `readAnchors` takes what people will actually have in
 * hand: a witness's anchors.jsonl, a receiver agent's state.json, an upward report as sent, a
 * proof export's anchors, or a JSON array of any of these.
 */
import { z } from 'zod';
import { proofHeadSchema } from '../protocol/messages.js';
import { headAnchor, type AnchorRecord, type KeysAnchor } from './anchor-records.js';

export const keysAnchorSchema = z.object({
  kind: z.literal('keys'),
  at: z.iso.datetime({ offset: false }),
  signing: z.array(z.string()),
  receivers: z.record(z.string(), z.array(z.string())),
  key_id: z.string().optional(),
  sig: z.string().optional(),
}) satisfies z.ZodType<KeysAnchor>;

/** Every head and key record found in a parsed JSON value, wherever it sits (records, state files, reports). */
function collect(value: unknown, source: string, out: AnchorRecord[], depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, source, out, depth + 1);
    return;
  }
  const head = proofHeadSchema.safeParse(value);
  if (head.success) {
    out.push(headAnchor(head.data, (value as { source?: string }).source ?? source));
    return;
  }
  const keys = keysAnchorSchema.safeParse(value);
  if (keys.success) {
    out.push(keys.data);
    return;
  }
  for (const v of Object.values(value)) collect(v, source, out, depth + 1);
}

export function readAnchors(text: string, source: string): AnchorRecord[] {
  const out: AnchorRecord[] = [];
  try {
    collect(JSON.parse(text), source, out);
  } catch {
    // Not one JSON document: JSON lines.
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        collect(JSON.parse(line), source, out);
      } catch {
        // A torn last line (a power cut while writing): the lines before are still good.
      }
    }
  }
  return out;
}

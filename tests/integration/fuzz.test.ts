/** A short fuzz run inside the test suite; `npm run fuzz` runs the long one. */
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../fuzz/fuzz.js';

describe('fuzzing every MQTT topic the controller reads and every API route', () => {
  it('answers 2,000 random and malformed inputs without a 5xx, and stays whole', async () => {
    const r = await runFuzz({ cases: 2000, seconds: 60, seed: 20261125 });
    expect(r.mqtt_cases + r.api_cases).toBe(2000);
    expect(r.server_errors).toEqual([]);
    expect(r.alive).toBe(true);
    expect(r.audit_chain_ok).toBe(true);
    expect(r.db_integrity).toBe('ok');
  }, 90_000);
});

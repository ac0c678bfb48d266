/**
 * Text to a ready-to-broadcast MP3 (normalise, espeak-ng, chime, two-pass loudnorm), for 300 and
 * 2,000 characters, and the controller's event-loop delay meanwhile beside the same span idle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { buildController } from '../controller/app.js';
import { PERMISSIONS } from '../controller/accounts/permissions.js';
import { parseSettings } from '../controller/settings.js';

const SENTENCE = 'Ủy ban nhân dân xã Xuân Hưng thông báo: từ 7h30 ngày 15/12/2026, trạm y tế xã tổ chức tiêm phòng cho trẻ em dưới 5 tuổi, đề nghị bà con đưa trẻ đến đúng giờ. ';

export interface TtsBenchRow { chars: number; ms: number; loop_p99_ms: number; loop_max_ms: number; idle_p99_ms: number }

export async function runTtsBench(): Promise<TtsBenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tt-tts-bench-'));
  const controller = buildController(parseSettings({
    commune: { id: 'bench', name: 'Xã Đo Đạc' }, data_dir: join(dir, 'data'), log_level: 'silent',
    http: { host: '127.0.0.1', port: 0 }, mqtt: { embedded_host: '127.0.0.1', embedded_port: 0 },
  }), { logger: pino({ level: 'silent' }) });
  await controller.start({ TT_ADMIN_PASSWORD: 'bench-admin-password' });
  const token = controller.accounts.createToken({ name: 'bench', role: 'admin' }, { id: 'bench', permissions: new Set(PERMISSIONS) }).token;
  const rows: TtsBenchRow[] = [];
  try {
    // Warm the worker and the chime once, as a running controller would be.
    await preview(controller.httpUrl, token, 'Xin chào bà con.');
    for (const chars of [300, 2000]) {
      const idle = monitorEventLoopDelay({ resolution: 5 });
      idle.enable();
      await new Promise((r) => setTimeout(r, 1000));
      idle.disable();
      const busy = monitorEventLoopDelay({ resolution: 5 });
      const text = (SENTENCE.repeat(Math.ceil(chars / SENTENCE.length)).slice(0, chars - 12) + ` Lần ${Date.now() % 1000}.`);
      busy.enable();
      const t0 = performance.now();
      await preview(controller.httpUrl, token, text);
      const ms = performance.now() - t0;
      busy.disable();
      rows.push({ chars, ms, loop_p99_ms: busy.percentile(99) / 1e6, loop_max_ms: busy.max / 1e6, idle_p99_ms: idle.percentile(99) / 1e6 });
    }
  } finally {
    await controller.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function preview(url: string, token: string, text: string): Promise<void> {
  const res = await fetch(`${url}/api/tts/preview`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  if (!res.ok) throw new Error(`preview failed: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

export function printTtsBench(rows: TtsBenchRow[]): void {
  console.log('\nText to a ready-to-broadcast MP3 (offline espeak-ng voice, chime, two-pass EBU R128)');
  for (const r of rows) {
    console.log(`  ${String(r.chars).padStart(5)} characters: ${(r.ms / 1000).toFixed(2)} s; controller event-loop delay meanwhile p99 ${r.loop_p99_ms.toFixed(1)} ms, max ${r.loop_max_ms.toFixed(1)} ms (idle p99 ${r.idle_p99_ms.toFixed(1)} ms)`);
  }
}

/**
 * What a Linux board can say about itself, read where the kernel puts it: the hottest thermal
 * zone (CPU temperature, millidegrees in /sys/class/thermal/thermal_zone<n>/temp) and the Wi-Fi or
 * modem link quality in /proc/net/wireless (signal level in dBm). Each reading is left out when the
 * board does not have it, never invented. `root` lets tests point at a made-up tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BoardReadings {
  temperature_c?: number;
  rssi_dbm?: number;
  network?: string;
}

export function readBoard(root = '/'): BoardReadings {
  const out: BoardReadings = {};
  const temps: number[] = [];
  try {
    const base = join(root, 'sys/class/thermal');
    for (const zone of readdirSync(base).filter((z) => z.startsWith('thermal_zone'))) {
      const milli = Number(readFileSync(join(base, zone, 'temp'), 'utf8').trim());
      if (Number.isFinite(milli) && milli > -40_000 && milli < 150_000) temps.push(milli / 1000);
    }
  } catch {
    /* no thermal zones on this board */
  }
  if (temps.length > 0) out.temperature_c = Math.round(Math.max(...temps) * 10) / 10;
  try {
    // Inter-| sta-|   Quality        |   Discarded packets ...
    //  face | tus | link level noise | ...
    //  wlan0: 0000   54.  -56.  -256  ...
    const lines = readFileSync(join(root, 'proc/net/wireless'), 'utf8')
      .split('\n')
      .slice(2)
      .filter((l) => l.includes(':'));
    const first = lines[0]?.trim().split(/\s+/);
    const level = first ? Number.parseFloat(first[3]) : NaN;
    if (first && Number.isFinite(level) && level < 0 && level >= -150) {
      out.rssi_dbm = level;
      out.network = 'wifi';
    }
  } catch {
    /* no wireless link */
  }
  return out;
}

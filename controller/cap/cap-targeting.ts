/**
 * Where an alert block sounds and how loudly it is treated: the hamlets its areas cover, and the
 * priority the commune's rules (cap.rules) give its urgency, severity and certainty.
 */
import type { Hamlet } from '../hamlets/hamlets-read-model.js';
import type { Priority } from '../protocol/messages.js';
import type { Settings } from '../settings.js';
import { insideCircle, insidePolygon, parsePolygon } from './cap-area.js';
import type { CapInfo } from './cap-parser.js';

/** Hamlets inside any area: polygon or circle against coordinates; our geocodes mean all. */
export function matchHamlets(info: CapInfo, all: Hamlet[], geocodes: string[]): string[] {
  const matched = new Set<string>();
  for (const area of info.area) {
    if (area.geocode.some((g) => geocodes.includes(g.value))) all.forEach((h) => matched.add(h.id));
    const located = all.filter((h): h is Hamlet & { lat: number; lon: number } => h.lat !== null && h.lon !== null);
    for (const h of located) {
      const point = { lat: h.lat, lon: h.lon };
      if (
        area.polygon.some((p) => insidePolygon(point, parsePolygon(p))) ||
        area.circle.some((c) => insideCircle(point, c))
      )
        matched.add(h.id);
    }
  }
  return [...matched].sort();
}

/** The first rule that fits the block decides; none fits: the block is not broadcast. */
export function priorityOf(info: CapInfo, rules: Settings['cap']['rules']): Priority | 'none' {
  for (const rule of rules) {
    if (rule.urgency && !rule.urgency.includes(info.urgency)) continue;
    if (rule.severity && !rule.severity.includes(info.severity)) continue;
    if (rule.certainty && !rule.certainty.includes(info.certainty)) continue;
    return rule.priority;
  }
  return 'none';
}

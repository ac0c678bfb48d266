/**
 * A prosody plan in the form each engine reads: SSML for espeak-ng (its WASM build reads it with
 * `-m`: <break time> and <prosody rate> were checked by ear and by measuring the gaps), and plain
 * text for the cloud voices, whose APIs take no markup: there the punctuation carries the pauses.
 */
import type { ProsodyPlan } from './prosody.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

export function toEspeakSsml(plan: ProsodyPlan): string {
  const rate = `${Math.round(plan.slow_rate * 100)}%`;
  const parts = plan.steps.map((step) => {
    if ('pause' in step) return `<break time="${step.pause}ms"/>`;
    const text = escapeXml(step.speak);
    return step.slow && rate !== '100%' ? `<prosody rate="${rate}">${text}</prosody>` : text;
  });
  return `<speak>${parts.join(' ')}</speak>`;
}

/** The words and punctuation, for voices that read plain text. */
export function toPlainText(plan: ProsodyPlan): string {
  return plan.steps.flatMap((step) => ('speak' in step ? [step.speak] : [])).join(' ');
}

/**
 * What a confirmation says it will do, in Vietnamese and English: the level, how many receivers
 * in how many hamlets, how long there is to confirm, and for an emergency how loud and how often.
 */
import { t } from '../i18n/messages.js';
import type { BroadcastRequest, TargetsDescription } from './broadcasts-service.js';

const LEVELS = { emergency: 'level_emergency', priority: 'level_priority', normal: 'level_normal' } as const;

export function confirmationSummary(a: {
  request: BroadcastRequest;
  /** As it will be sent: the level's volume cap and repeats. */
  shaped: BroadcastRequest;
  receivers: number;
  where: TargetsDescription;
  schedule: boolean;
  ttl_s: number;
}): { summary: string; summary_en: string } {
  const req = a.request;
  const levelKey = LEVELS[req.priority];
  const what = a.schedule ? 'confirm_summary_schedule' : 'confirm_summary';
  const params = {
    level: t(levelKey, 'vi'),
    receivers: a.receivers,
    // The hamlets that will hear it: one asked for with no enrolled receiver will not (listed apart in `where`).
    hamlets: a.where.hamlets.filter((h) => h.receivers > 0).length,
    drill: req.drill ? t('drill_suffix', 'vi') : '',
    ttl: a.ttl_s,
  };
  const paramsEn = { ...params, level: t(levelKey, 'en'), drill: req.drill ? t('drill_suffix', 'en') : '' };
  // An emergency says how loud and how often: it overrides the receivers' own volume and repeats.
  const effects =
    req.priority === 'emergency' && !a.schedule
      ? { volume: a.shaped.volume_pct, repeats: a.shaped.repeat_count ?? 1 }
      : null;
  // Said first: with the broker down, "to 6 receivers" reads as if they will hear it now (outsider 40).
  const brokerDown = (lang: 'vi' | 'en') => (a.where.broker_down_since ? `${t('confirm_broker_down', lang)} ` : '');
  const summaryIn = (lang: 'vi' | 'en', p: typeof params) =>
    brokerDown(lang) +
    (effects ? `${t(what, lang, p)} ${t('confirm_summary_effects', lang, effects)}` : t(what, lang, p));
  return { summary: summaryIn('vi', params), summary_en: summaryIn('en', paramsEn) };
}

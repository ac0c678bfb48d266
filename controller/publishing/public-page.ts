/**
 * The commune's public page: the latest bulletins with a player, urgent ones first. Written for a
 * cheap phone on a slow link: one small HTML document, no script, no web fonts, audio loaded only
 * when played. Every value is escaped (escape-html).
 */
import escapeHtml from 'escape-html';
import { DateTime } from 'luxon';
import { t } from '../i18n/messages.js';
import type { Channel } from './feeds.js';
import type { PublicView } from './publishing-service.js';

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1b1b1b;background:#fafaf7;line-height:1.5}
header,main,footer{max-width:44rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
article{background:#fff;border:1px solid #d6d6cf;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
article h3{font-size:1.05rem;margin:0 0 .25rem}.meta{color:#4a4a45;font-size:.9rem;margin:0 0 .5rem}
.urgent article{border:2px solid #a4161a;background:#fff5f5}.urgent h2{color:#a4161a}
audio{width:100%}p.text{white-space:pre-line;margin:.5rem 0}a{color:#0b5394}footer{font-size:.9rem;color:#4a4a45;padding-bottom:2rem}
`;

function article(p: PublicView, zone: string): string {
  const when = DateTime.fromISO(p.published_at, { zone }).toFormat('HH:mm dd/MM/yyyy');
  const until = p.urgent_until
    ? ` · ${escapeHtml(t('public_valid_until', 'vi', { until: DateTime.fromISO(p.urgent_until, { zone }).toFormat('HH:mm dd/MM/yyyy') }))}`
    : '';
  const label = escapeHtml(t('public_listen', 'vi', { title: p.title }));
  return `<article id="${escapeHtml(p.id)}" aria-labelledby="t-${escapeHtml(p.id)}">
<h3 id="t-${escapeHtml(p.id)}">${escapeHtml(p.title)}</h3>
<p class="meta">${escapeHtml(p.category_name)} · <time datetime="${escapeHtml(p.published_at)}">${escapeHtml(when)}</time>${until}</p>
<audio controls preload="none" src="${escapeHtml(p.audio_url)}" aria-label="${label}"></audio>
${p.text ? `<p class="text">${escapeHtml(p.text)}</p>` : ''}
</article>`;
}

export function renderPublicPage(
  channel: Channel,
  v: { urgent: PublicView[]; items: PublicView[] },
  zone: string,
): string {
  const urgent = v.urgent.length
    ? `<section class="urgent" aria-labelledby="h-urgent"><h2 id="h-urgent">${escapeHtml(t('public_urgent_heading', 'vi'))}</h2>${v.urgent.map((p) => article(p, zone)).join('\n')}</section>`
    : '';
  const latest = v.items.length
    ? v.items.map((p) => article(p, zone)).join('\n')
    : `<p>${escapeHtml(t('public_empty', 'vi'))}</p>`;
  const feeds = t('public_feeds', 'vi', {
    rss: `<a href="${escapeHtml(channel.rss_url)}">RSS</a>`,
    json: `<a href="${escapeHtml(channel.json_url)}">JSON</a>`,
  });
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(channel.title)}</title>
<link rel="alternate" type="application/rss+xml" title="${escapeHtml(channel.title)}" href="${escapeHtml(channel.rss_url)}">
<link rel="alternate" type="application/feed+json" title="${escapeHtml(channel.title)}" href="${escapeHtml(channel.json_url)}">
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(channel.title)}</h1><p>${escapeHtml(channel.description)}</p></header>
<main>
${urgent}
<section aria-labelledby="h-latest"><h2 id="h-latest">${escapeHtml(t('public_latest_heading', 'vi'))}</h2>
${latest}
</section>
</main>
<footer><p>${feeds}</p></footer>
</body>
</html>`;
}

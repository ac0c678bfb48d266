/**
 * The podcast feed (RSS 2.0 with the iTunes and Podcasting 2.0 tags podcast apps read) and the
 * JSON Feed 1.1, built from public views only. XML is written by fast-xml-parser's builder, which
 * escapes every value. The channel carries every tag Apple Podcasts requires (title, description,
 * language, itunes:image, itunes:category, itunes:explicit; itunes:owner to verify the show) and
 * the Podcasting 2.0 podcast:guid and podcast:locked; each item its guid, enclosure (url, length
 * in bytes, type) and itunes:duration.
 */
import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { t } from '../i18n/messages.js';
import type { PublicView } from './publishing-service.js';

export interface Channel {
  title: string;
  description: string;
  author: string;
  page_url: string;
  rss_url: string;
  json_url: string;
  /** The cover art's absolute URL (a square JPEG or PNG, podcast-cover.ts). */
  image_url: string;
  owner: { name: string; email: string | null };
  category: string;
  subcategory: string | null;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
});

/** Urgent items first (still valid), then the rest; both newest first. */
const ordered = (v: { urgent: PublicView[]; items: PublicView[] }) => [...v.urgent, ...v.items];

/** The Podcasting 2.0 namespace for podcast:guid (podcastindex.org/namespace/1.0#guid). */
const PODCAST_GUID_NAMESPACE = 'ead4c236-bf58-58c6-a2c6-a6b28d128cb6';

/**
 * podcast:guid: a UUIDv5 (RFC 9562 §5.5) of the feed URL with its scheme and trailing slashes
 * taken off, in the Podcasting 2.0 namespace, so the same feed always has the same guid.
 */
export function podcastGuid(feedUrl: string): string {
  const name = feedUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
  const hash = createHash('sha1')
    .update(Buffer.from(PODCAST_GUID_NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** "khẩn" as a word of its own, in any case: the title already says the item is urgent. */
const SAYS_URGENT = /(^|[^\p{L}])khẩn($|[^\p{L}])/iu;

/** An urgent item's title says so once: the label is added only when the title does not say it already ("Khẩn cấp: …"). */
export function itemTitle(p: Pick<PublicView, 'title' | 'urgent'>): string {
  if (!p.urgent || SAYS_URGENT.test(p.title.normalize('NFC'))) return p.title;
  return t('feed_urgent_title', 'vi', { title: p.title });
}

/** HH:MM:SS, which every podcast app reads (Apple also takes plain seconds). */
const hms = (s: number) =>
  [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');

export function buildRss(channel: Channel, v: { urgent: PublicView[]; items: PublicView[] }): string {
  const items = ordered(v).map((p) => ({
    title: itemTitle(p),
    description: p.text ?? p.title,
    link: p.page_url,
    guid: { '#text': p.id, '@_isPermaLink': 'false' },
    pubDate: new Date(p.published_at).toUTCString(),
    category: p.category_name,
    enclosure: { '@_url': p.audio_url, '@_length': String(p.audio_size_bytes), '@_type': p.audio_type },
    'itunes:duration': hms(p.duration_s),
    'itunes:explicit': 'false',
    'itunes:episodeType': 'full',
    ...(p.transcript_url
      ? { 'podcast:transcript': { '@_url': p.transcript_url, '@_type': 'text/plain', '@_language': 'vi' } }
      : {}),
  }));
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    rss: {
      '@_version': '2.0',
      '@_xmlns:itunes': 'http://www.itunes.com/dtds/podcast-1.0.dtd',
      '@_xmlns:podcast': 'https://podcastindex.org/namespace/1.0',
      '@_xmlns:atom': 'http://www.w3.org/2005/Atom',
      channel: {
        title: channel.title,
        link: channel.page_url,
        description: channel.description,
        language: 'vi',
        image: { url: channel.image_url, title: channel.title, link: channel.page_url },
        'atom:link': { '@_href': channel.rss_url, '@_rel': 'self', '@_type': 'application/rss+xml' },
        'itunes:author': channel.author,
        'itunes:image': { '@_href': channel.image_url },
        'itunes:owner': {
          'itunes:name': channel.owner.name,
          ...(channel.owner.email ? { 'itunes:email': channel.owner.email } : {}),
        },
        'itunes:category': {
          '@_text': channel.category,
          ...(channel.subcategory ? { 'itunes:category': { '@_text': channel.subcategory } } : {}),
        },
        'itunes:explicit': 'false',
        'itunes:type': 'episodic',
        'podcast:guid': podcastGuid(channel.rss_url),
        // Only the owner may move the feed to another host (podcastindex.org/namespace/1.0#locked).
        'podcast:locked': { '#text': 'yes', ...(channel.owner.email ? { '@_owner': channel.owner.email } : {}) },
        ...(items.length ? { lastBuildDate: new Date(ordered(v)[0].published_at).toUTCString() } : {}),
        item: items,
      },
    },
  };
  return builder.build(doc);
}

export function buildJsonFeed(channel: Channel, v: { urgent: PublicView[]; items: PublicView[] }): object {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: channel.title,
    description: channel.description,
    home_page_url: channel.page_url,
    feed_url: channel.json_url,
    language: 'vi',
    authors: [{ name: channel.author }],
    items: ordered(v).map((p) => ({
      id: p.id,
      url: p.page_url,
      title: p.title,
      content_text: p.text ?? p.title,
      date_published: p.published_at,
      tags: [p.category_name],
      attachments: [
        {
          url: p.audio_url,
          mime_type: p.audio_type,
          size_in_bytes: p.audio_size_bytes,
          duration_in_seconds: p.duration_s,
        },
      ],
      // JSON Feed extensions start with an underscore.
      _truyen_thanh: { category: p.category, priority: p.priority, urgent: p.urgent, urgent_until: p.urgent_until },
    })),
  };
}

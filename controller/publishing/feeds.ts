/**
 * The podcast feed (RSS 2.0 with the iTunes and Podcasting 2.0 tags podcast apps read) and the
 * JSON Feed 1.1, built from public views only. XML is written by fast-xml-parser's builder, which
 * escapes every value.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { PublicView } from './publishing-service.js';

export interface Channel {
  title: string;
  description: string;
  author: string;
  page_url: string;
  rss_url: string;
  json_url: string;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });

/** Urgent items first (still valid), then the rest; both newest first. */
const ordered = (v: { urgent: PublicView[]; items: PublicView[] }) => [...v.urgent, ...v.items];

export function buildRss(channel: Channel, v: { urgent: PublicView[]; items: PublicView[] }): string {
  const items = ordered(v).map((p) => ({
    title: p.urgent ? `[Khẩn] ${p.title}` : p.title,
    description: p.text ?? p.title,
    link: p.page_url,
    guid: { '#text': p.id, '@_isPermaLink': 'false' },
    pubDate: new Date(p.published_at).toUTCString(),
    category: p.category_name,
    enclosure: { '@_url': p.audio_url, '@_length': String(p.audio_size_bytes), '@_type': p.audio_type },
    'itunes:duration': String(p.duration_s),
    'itunes:explicit': 'false',
    ...(p.transcript_url ? { 'podcast:transcript': { '@_url': p.transcript_url, '@_type': 'text/plain', '@_language': 'vi' } } : {}),
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
        'atom:link': { '@_href': channel.rss_url, '@_rel': 'self', '@_type': 'application/rss+xml' },
        'itunes:author': channel.author,
        'itunes:category': { '@_text': 'News' },
        'itunes:explicit': 'false',
        'itunes:type': 'episodic',
        'podcast:locked': 'yes',
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
      attachments: [{ url: p.audio_url, mime_type: p.audio_type, size_in_bytes: p.audio_size_bytes, duration_in_seconds: p.duration_s }],
      // JSON Feed extensions start with an underscore.
      _truyen_thanh: { category: p.category, priority: p.priority, urgent: p.urgent, urgent_until: p.urgent_until },
    })),
  };
}

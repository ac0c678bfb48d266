/**
 * The podcast feed as podcast directories read it: a real controller publishes bulletins, and its
 * live feed is parsed by fast-xml-parser (validated first) and by rss-parser, checking every tag
 * Apple Podcasts and Podcasting 2.0 require, the cover art it points to, and each enclosure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { podcastGuid } from '../../controller/publishing/feeds.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;

beforeAll(async () => {
  // The cover lies in the controller's own temp dir, removed with it by close().
  const dir = mkdtempSync(join(tmpdir(), 'tt-test-'));
  const cover = join(dir, 'bia.jpg');
  execFileSync(ffmpegInstaller.path, [
    '-y',
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'color=c=red:s=1500x1500:d=1',
    '-frames:v',
    '1',
    cover,
  ]);
  tc = await startTestController(
    {
      publishing: {
        podcast: {
          cover_image_file: cover,
          owner_email: 'vanphong@xa-thu-nghiem.example.vn',
          category: 'News',
          subcategory: 'Daily News',
        },
      },
    },
    { dir },
  );
  await enrolReceiver(tc.url, tc.token, 'rx-pod', 'thon-1', 'rx-pod');
  for (const [title, priority] of [
    ['Lịch tiêm chủng tháng 12', 'normal'],
    ['Khẩn cấp: nước sông Hồng lên nhanh', 'priority'],
    ['Thông báo mất điện', 'priority'],
  ] as const) {
    const b = await tc.api('POST', '/api/bulletins', {
      title,
      category: 'commune_notice',
      text: `${title}. Đề nghị bà con chú ý & theo dõi <loa>.`,
    });
    expect((await tc.api('POST', `/api/bulletins/${b.body.id}/submit`)).status).toBe(200);
    expect((await tc.api('POST', `/api/bulletins/${b.body.id}/approve`)).status).toBe(200);
    expect(
      (await tc.api('POST', `/api/bulletins/${b.body.id}/broadcast`, { target: { hamlet_ids: ['thon-1'] }, priority }))
        .status,
    ).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await tc?.close();
});

const liveFeed = async () => {
  const res = await fetch(`${tc.url}/public/feed.xml`);
  expect(res.headers.get('content-type')).toContain('application/rss+xml');
  return res.text();
};

describe('the podcast feed', () => {
  it('is well-formed XML carrying every channel tag Apple Podcasts and Podcasting 2.0 require', async () => {
    const xml = await liveFeed();
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      isArray: (name) => name === 'item',
    }).parse(xml);
    expect(doc.rss['@_version']).toBe('2.0');
    expect(doc.rss['@_xmlns:itunes']).toBe('http://www.itunes.com/dtds/podcast-1.0.dtd');
    expect(doc.rss['@_xmlns:podcast']).toBe('https://podcastindex.org/namespace/1.0');
    const ch = doc.rss.channel;
    expect(ch.title).toBe('Đài truyền thanh Xã Thử Nghiệm');
    expect(ch.description).toBeTruthy();
    expect(ch.language).toBe('vi');
    expect(ch['itunes:explicit']).toBe('false');
    expect(ch['itunes:category']).toEqual({ '@_text': 'News', 'itunes:category': { '@_text': 'Daily News' } });
    expect(ch['itunes:owner']).toEqual({
      'itunes:name': 'UBND Xã Thử Nghiệm',
      'itunes:email': 'vanphong@xa-thu-nghiem.example.vn',
    });
    expect(ch['itunes:author']).toBe('UBND Xã Thử Nghiệm');
    expect(ch['podcast:locked']).toEqual({ '#text': 'yes', '@_owner': 'vanphong@xa-thu-nghiem.example.vn' });
    const feedUrl = `${tc.url}/public/feed.xml`;
    expect(ch['atom:link']['@_href']).toBe(feedUrl);
    // UUIDv5 of the feed URL without its scheme, in the Podcasting 2.0 namespace.
    expect(ch['podcast:guid']).toBe(podcastGuid(feedUrl));
    expect(ch['podcast:guid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Each category's feed is a show of its own, with a guid of its own.
    const perCategory = new XMLParser().parse(await (await fetch(`${tc.url}/public/commune_notice/feed.xml`)).text());
    expect(perCategory.rss.channel['podcast:guid']).toBe(podcastGuid(`${tc.url}/public/commune_notice/feed.xml`));
    expect(perCategory.rss.channel['podcast:guid']).not.toBe(ch['podcast:guid']);

    // The cover: the same picture for itunes:image and RSS <image>, the commune's own, square and large enough.
    const imageUrl: string = ch['itunes:image']['@_href'];
    expect(imageUrl).toMatch(/\.jpg$/);
    expect(ch.image).toEqual({ url: imageUrl, title: ch.title, link: ch.link });
    const cover = await fetch(imageUrl);
    expect(cover.status).toBe(200);
    expect(cover.headers.get('content-type')).toBe('image/jpeg');
    const coverFile = join(tc.dir, 'cover-from-feed.jpg');
    writeFileSync(coverFile, Buffer.from(await cover.arrayBuffer()));
    const probed = JSON.parse(
      execFileSync(
        ffprobeInstaller.path,
        ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', coverFile],
        { encoding: 'utf8' },
      ),
    ).streams[0];
    expect(probed).toMatchObject({ codec_name: 'mjpeg', width: 1500, height: 1500 });
  });

  it('gives every item a guid, a priority said once in its title, its duration and an enclosure of its real length in bytes', async () => {
    const xml = await liveFeed();
    const feed = await new Parser({ customFields: { item: ['itunes:duration', 'itunes:explicit'] } }).parseString(xml);
    expect(feed.items.map((i) => i.title)).toEqual([
      '[Khẩn] Thông báo mất điện',
      'Khẩn cấp: nước sông Hồng lên nhanh',
      'Lịch tiêm chủng tháng 12',
    ]);
    expect(feed.itunes?.image).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/public\/artwork\/[0-9a-f]{12}\/cover\.jpg$/);
    expect(feed.itunes?.owner).toEqual({ name: 'UBND Xã Thử Nghiệm', email: 'vanphong@xa-thu-nghiem.example.vn' });
    expect(feed.itunes?.categories).toEqual(['News']);
    const guids = new Set<string>();
    for (const item of feed.items) {
      expect(item.guid).toMatch(/^[0-9a-f-]{36}$/);
      guids.add(item.guid!);
      expect(item.content).toContain('& theo dõi <loa>');
      expect((item as any)['itunes:duration']).toMatch(/^\d\d:\d\d:\d\d$/);
      expect((item as any)['itunes:explicit']).toBe('false');
      const audio = await fetch(item.enclosure!.url);
      expect(audio.status).toBe(200);
      const bytes = Buffer.from(await audio.arrayBuffer());
      expect(Number(item.enclosure!.length)).toBe(bytes.length);
      expect(bytes.length).toBeGreaterThan(1000);
      expect(item.enclosure!.type).toBe('audio/mpeg');
      // The duration said is the audio's own, to the second.
      const file = join(tc.dir, `${item.guid}.mp3`);
      writeFileSync(file, bytes);
      const seconds = Number(
        execFileSync(
          ffprobeInstaller.path,
          ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file],
          { encoding: 'utf8' },
        ).trim(),
      );
      const [h, m, s] = ((item as any)['itunes:duration'] as string).split(':').map(Number);
      expect(Math.abs(h * 3600 + m * 60 + s - seconds)).toBeLessThanOrEqual(1);
    }
    expect(guids.size).toBe(3);
  }, 30_000);
});

describe('the public files from another site', () => {
  it('lets any origin embed and read the feeds, the audio and the cover; the API stays same-origin', async () => {
    const xml = await liveFeed();
    const audio = /<enclosure url="([^"]+)"/.exec(xml)![1].replace(/^https?:\/\/[^/]+/, tc.url);
    const cover = /<itunes:image href="([^"]+)"/.exec(xml)![1].replace(/^https?:\/\/[^/]+/, tc.url);
    for (const url of [`${tc.url}/public/feed.xml`, `${tc.url}/public/feed.json`, `${tc.url}/public`, audio, cover]) {
      const res = await fetch(url, { headers: { origin: 'http://trang-cua-xa.example' } });
      expect(res.status, url).toBe(200);
      expect(res.headers.get('cross-origin-resource-policy'), url).toBe('cross-origin');
      expect(res.headers.get('access-control-allow-origin'), url).toBe('*');
      await res.arrayBuffer();
    }
    const api = await fetch(`${tc.url}/api/system/health`, { headers: { origin: 'http://trang-cua-xa.example' } });
    expect(api.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });
});

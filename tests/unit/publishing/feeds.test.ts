/** The feed's pure parts: the Podcasting 2.0 guid, an urgent title said once, and the cover-art rule. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { afterAll, describe, expect, it } from 'vitest';
import { itemTitle, podcastGuid } from '../../../controller/publishing/feeds.js';
import { coverOrDefault, readCover, DEFAULT_COVER_FILE } from '../../../controller/publishing/podcast-cover.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-cover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const image = (name: string, size: string) => {
  const file = join(dir, name);
  execFileSync(ffmpegInstaller.path, [
    '-y',
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `color=c=blue:s=${size}:d=1`,
    '-frames:v',
    '1',
    file,
  ]);
  return file;
};

describe('podcast:guid', () => {
  it("is the UUIDv5 the Podcasting 2.0 namespace gives for the spec's own example", () => {
    // podcastindex.org/namespace/1.0#guid: "https://mp3s.nashownotes.com/pc20rss.xml" → this guid.
    expect(podcastGuid('https://mp3s.nashownotes.com/pc20rss.xml')).toBe('917393e3-1b1e-5cef-ace4-edaa54e1f810');
  });
  it('ignores the scheme and trailing slashes', () => {
    expect(podcastGuid('http://mp3s.nashownotes.com/pc20rss.xml/')).toBe('917393e3-1b1e-5cef-ace4-edaa54e1f810');
  });
});

describe('an item title', () => {
  it.each([
    ['Thông báo mất điện', true, '[Khẩn] Thông báo mất điện'],
    ['Khẩn cấp: nước sông lên nhanh', true, 'Khẩn cấp: nước sông lên nhanh'],
    ['KHẨN: sơ tán khỏi bãi sông', true, 'KHẨN: sơ tán khỏi bãi sông'],
    ['Thông báo khẩn về dịch bệnh', true, 'Thông báo khẩn về dịch bệnh'],
    ['Kh\u1EA9n c\u1EA5p'.normalize('NFD'), true, 'Kh\u1EA9n c\u1EA5p'.normalize('NFD')],
    ['Lịch tiêm chủng', false, 'Lịch tiêm chủng'],
  ])('%s (urgent: %s) reads %s', (title, urgent, expected) => {
    expect(itemTitle({ title, urgent })).toBe(expected);
  });
});

describe('the cover art', () => {
  it('ships a default Apple accepts: a square PNG of at least 1400 px', () => {
    expect(readCover(DEFAULT_COVER_FILE)).toMatchObject({
      type: 'image/png',
      file_name: 'cover.png',
      width: 1400,
      height: 1400,
    });
  });
  it("takes the commune's JPEG when it is square and 1400 to 3000 px", () => {
    expect(coverOrDefault(image('ok.jpg', '2000x2000'))).toMatchObject({
      cover: { type: 'image/jpeg', width: 2000, height: 2000 },
      problem: null,
    });
  });
  it.each([
    ['small.png', '800x800', '800x800'],
    ['wide.jpg', '1600x1400', '1600x1400'],
    ['huge.png', '3200x3200', '3200x3200'],
  ])('serves the default in place of %s and says why', (name, size, said) => {
    const { cover, problem } = coverOrDefault(image(name, size));
    expect(cover.width).toBe(1400);
    expect(problem).toContain(said);
  });
  it('serves the default in place of a file that is no picture', () => {
    writeFileSync(join(dir, 'note.png'), 'not a picture');
    expect(coverOrDefault(join(dir, 'note.png')).problem).toContain('neither a PNG nor a JPEG');
  });
});

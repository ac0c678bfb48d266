/**
 * The podcast's cover art. Apple Podcasts takes a square JPEG or PNG of 1400 to 3000 pixels a
 * side (Apple Podcasts Connect, "Artwork requirements"); anything else is refused when the show
 * is submitted. The commune's own picture (publishing.podcast.cover_image_file) is checked at
 * start; a picture that does not meet the rule is logged and the default shipped beside this file
 * is served instead, because a wrong picture must never stop the controller that sounds alarms.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_COVER_FILE = join(dirname(fileURLToPath(import.meta.url)), 'assets', 'podcast-cover.png');

export interface Cover {
  bytes: Buffer;
  type: 'image/png' | 'image/jpeg';
  /** The URL's file name: the extension podcast directories look at. */
  file_name: 'cover.png' | 'cover.jpg';
  width: number;
  height: number;
  /** Changes with the picture, so apps that cache artwork by URL fetch a new one. */
  version: string;
}

export class CoverError extends Error {}

/** Width and height from a PNG's IHDR chunk or a JPEG's start-of-frame marker. */
function dimensions(b: Buffer): { type: Cover['type']; width: number; height: number } {
  if (
    b.length > 24 &&
    b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) &&
    b.toString('latin1', 12, 16) === 'IHDR'
  ) {
    return { type: 'image/png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length && b[i] === 0xff) {
      const marker = b[i + 1];
      const length = b.readUInt16BE(i + 2);
      // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'image/jpeg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + length;
    }
    throw new CoverError('a JPEG without a frame header');
  }
  throw new CoverError('neither a PNG nor a JPEG');
}

export function readCover(file: string): Cover {
  const bytes = readFileSync(file);
  const { type, width, height } = dimensions(bytes);
  if (width !== height || width < 1400 || width > 3000)
    throw new CoverError(`${width}x${height} pixels; a square of 1400 to 3000 pixels is needed`);
  return {
    bytes,
    type,
    width,
    height,
    file_name: type === 'image/png' ? 'cover.png' : 'cover.jpg',
    version: createHash('sha256').update(bytes).digest('hex').slice(0, 12),
  };
}

/** The commune's picture when it is acceptable, else the default (and why, for the log). */
export function coverOrDefault(file: string | null): { cover: Cover; problem: string | null } {
  if (file) {
    try {
      return { cover: readCover(file), problem: null };
    } catch (err) {
      return { cover: readCover(DEFAULT_COVER_FILE), problem: (err as Error).message };
    }
  }
  return { cover: readCover(DEFAULT_COVER_FILE), problem: null };
}

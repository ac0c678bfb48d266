/**
 * Signed, expiring links to a media item's MP3, for players that have no console session: an
 * exported playlist (.m3u8) opened in VLC, Winamp or ffplay, or a radio tool. The path carries
 * the expiry and an HMAC-SHA256 of "<media id>.<expiry>" under a key kept in data_dir/secrets,
 * so a link cannot be made for another item or stretched, and a whole key change
 * (delete the file, restart) revokes every link at once. The signature sits in the path, not a
 * query string, and the path ends in ".mp3": players and ffmpeg's HLS reader pick the demuxer
 * by that extension.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';

export interface MediaLinksOptions {
  key: string;
  baseUrl: () => string;
  clock: Clock;
  valid_hours: number;
}

export type LinkCheck = 'valid' | 'expired' | 'forged';

export class MediaLinks {
  private readonly key: string;
  private readonly baseUrl: () => string;
  private readonly clock: Clock;
  private readonly validMs: number;

  constructor({ key, baseUrl, clock, valid_hours }: MediaLinksOptions) {
    this.key = key;
    this.baseUrl = baseUrl;
    this.clock = clock;
    this.validMs = valid_hours * 3_600_000;
  }

  /** The absolute link, valid for media.link_valid_hours from now. */
  url(mediaId: string): string {
    const expires = Math.floor((this.clock.now().getTime() + this.validMs) / 1000);
    return `${this.baseUrl()}/public/media/${expires}/${this.signature(mediaId, expires)}/${mediaId}.mp3`;
  }

  check(mediaId: string, expires: number, signature: string): LinkCheck {
    const expected = Buffer.from(this.signature(mediaId, expires));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    return expires * 1000 > this.clock.now().getTime() ? 'valid' : 'expired';
  }

  private signature(mediaId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${mediaId}.${expires}`).digest('base64url');
  }
}

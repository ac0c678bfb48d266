/**
 * A receiver whose sound output cannot be opened (no sound card, a wrong device in its config)
 * says so in words, with what to check, when a test tone or an item fails, rather than ffmpeg's
 * last line alone ("Error initializing output stream 0:0 --"). Real ffmpeg, real failing outputs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { describe, expect, it } from 'vitest';
import { FfmpegPlayer } from '../../../firmware-bridge/agent/players.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-playback-'));
const tone = join(dir, 'tone.mp3');
execFileSync(ffmpegInstaller.path, ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=1', tone]);
const play = (player: FfmpegPlayer, file: string) =>
  player
    .play({ file, volume_pct: 50, duration_ms: 1000, broadcast_id: 'b' } as never, AbortSignal.timeout(10_000))
    .then(
      () => 'played',
      (err: Error) => err.message,
    );

describe('a sound output that cannot be opened', () => {
  it('is said in Vietnamese and English with what to check, and ffmpeg’s own line about the device', async () => {
    const said = await play(new FfmpegPlayer('oss', join(dir, 'no-such-dsp')), tone);
    expect(said).toContain(`Không mở được đầu ra âm thanh oss:${join(dir, 'no-such-dsp')}`);
    expect(said).toContain('aplay -l');
    expect(said).toContain('Cannot open the sound output');
    expect(said).toMatch(/\(ffmpeg: .+\)$/);
    expect(said.length).toBeLessThanOrEqual(500); // it fits an ack's detail whole
  });

  it('a damaged file is not blamed on the sound card', async () => {
    const broken = join(dir, 'broken.mp3');
    writeFileSync(broken, Buffer.alloc(2000, 7));
    const said = await play(new FfmpegPlayer('null', '-'), broken);
    expect(said).not.toBe('played');
    expect(said).not.toContain('đầu ra âm thanh');
  });
});

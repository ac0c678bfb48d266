/** The receiver's players with the real ffmpeg: sound goes where it is told, and stops when told. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ffprobe from '@ffprobe-installer/ffprobe';
import { FfmpegPlayer, FilePlayer, PlaybackAborted, SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { makeTone } from '../helpers/audio.js';

const dir = mkdtempSync(join(tmpdir(), 'players-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tone = makeTone(join(dir, 'tone.mp3'), 1, 1);
const request = { file: tone, volume_pct: 50, duration_ms: 1000, broadcast_id: '743e6f7f-8e6d-45db-b7b7-67063682e957' };
const durationOf = (file: string) =>
  Number(
    execFileSync(ffprobe.path, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString(),
  );

describe('players', () => {
  it('FfmpegPlayer renders the audio, at the asked volume, to the output it is given', async () => {
    const out = join(dir, 'rendered.wav');
    await new FfmpegPlayer('wav', out).play(request, new AbortController().signal);
    expect(durationOf(out)).toBeCloseTo(1, 1);
    const full = join(dir, 'full.wav');
    await new FfmpegPlayer('wav', full).play({ ...request, volume_pct: 100 }, new AbortController().signal);
    // Half volume is about 6 dB quieter: compare peak sample values.
    const peak = (f: string) => {
      const b = readFileSync(f);
      let m = 0;
      for (let i = b.indexOf('data') + 8; i + 1 < b.length; i += 2) m = Math.max(m, Math.abs(b.readInt16LE(i)));
      return m;
    };
    expect(peak(out) / peak(full)).toBeGreaterThan(0.4);
    expect(peak(out) / peak(full)).toBeLessThan(0.6);
  });

  it('FfmpegPlayer stops at once when aborted (stop-all, emergency pre-emption)', async () => {
    const long = makeTone(join(dir, 'long.mp3'), 30, 1);
    const abort = new AbortController();
    const started = Date.now();
    const playing = new FfmpegPlayer('wav', join(dir, 'cut.wav')).play(
      { ...request, file: long, duration_ms: 30_000 },
      abort.signal,
    );
    setTimeout(() => abort.abort(), 300);
    await expect(playing).rejects.toBeInstanceOf(PlaybackAborted);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('FfmpegPlayer reports a failure when the output cannot be opened', async () => {
    await expect(
      new FfmpegPlayer('wav', '/nonexistent-dir/x.wav').play(request, new AbortController().signal),
    ).rejects.toThrow();
  });

  it('FilePlayer keeps a copy of what played, with its volume, and takes as long as playing it would', async () => {
    const out = join(dir, 'files');
    const t = Date.now();
    await new FilePlayer(out).play(request, new AbortController().signal);
    expect(Date.now() - t, 'finished before the item could have sounded').toBeGreaterThanOrEqual(990);
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(out, files[0]), 'utf8'))).toEqual({ volume_pct: 50, duration_ms: 1000 });
    expect(existsSync(join(out, files[1]))).toBe(true);
    const abort = new AbortController();
    const cut = new FilePlayer(out).play(request, abort.signal);
    setTimeout(() => abort.abort(), 100);
    await expect(cut).rejects.toBeInstanceOf(PlaybackAborted);
  });

  it('SilentPlayer takes the duration times its speed and can be aborted', async () => {
    const t = Date.now();
    await new SilentPlayer(0.2).play(request, new AbortController().signal);
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
    const abort = new AbortController();
    const p = new SilentPlayer(10).play(request, abort.signal);
    abort.abort();
    await expect(p).rejects.toBeInstanceOf(PlaybackAborted);
  });
});

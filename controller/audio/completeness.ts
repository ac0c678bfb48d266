/**
 * Whether an audio file is whole. A file cut short (a download that stopped, a copy that failed)
 * still opens and plays: only its beginning. We refuse it rather than broadcast an announcement
 * that stops mid-sentence, when its own header says how long it should be:
 * - WAV: the data chunk's size against the bytes that are there;
 * - other containers: the duration the header declares (an MP3's Xing/Info or VBRI frame count,
 *   MP4's mdhd, FLAC's STREAMINFO) against the end of the last packet that can be read.
 * A file that declares nothing (a CBR MP3 without a Xing header, ADTS AAC, AMR: ffmpeg then
 * estimates the duration from the bitrate and says so) cannot be told from a shorter file.
 */
import { execFile } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import { FFMPEG_PATH, SAFE_INPUT } from './audio-pipeline.js';

export interface Truncation {
  /** What the header says the audio lasts. */
  declared_ms: number;
  /** What the file holds. */
  present_ms: number;
}

/** Packet ends and declared durations differ by a frame or two (26 ms each in MP3) in whole files. */
const MIN_MISSING_MS = 300;
const MIN_MISSING_RATIO = 0.005;
const TIMEOUT_MS = 60_000;

/** The part of the audio that is missing, or null when the file is whole or says nothing. */
export async function findTruncation(file: string, format: string, declared_ms: number): Promise<Truncation | null> {
  const found = format.split(',').includes('wav')
    ? await wavTruncation(file)
    : await packetTruncation(file, declared_ms);
  if (!found) return null;
  const missing = found.declared_ms - found.present_ms;
  return missing > Math.max(MIN_MISSING_MS, found.declared_ms * MIN_MISSING_RATIO) ? found : null;
}

/** Reads the packets without decoding them (fast: an hour of MP3 in a fraction of a second). */
function packetTruncation(file: string, declared_ms: number): Promise<Truncation | null> {
  return new Promise((resolve, reject) => {
    execFile(
      FFMPEG_PATH,
      [
        '-v',
        'warning',
        '-nostats',
        ...SAFE_INPUT,
        '-i',
        file,
        '-map',
        '0:a:0',
        '-c',
        'copy',
        '-f',
        'null',
        '-progress',
        'pipe:1',
        '-',
      ],
      { timeout: TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err)
          return reject(new Error(`reading the packets failed: ${stderr.trim().split('\n').pop() ?? err.message}`));
        // No declared duration, only ffmpeg's guess from the bitrate: nothing to hold the file to.
        if (/Estimating duration from bitrate/.test(stderr)) return resolve(null);
        // out_time_ms is in microseconds (ffmpeg's naming); the last one is where the packets end.
        const times = [...stdout.matchAll(/^out_time_ms=(\d+)$/gm)];
        const last = times.at(-1);
        if (!last) return resolve(null);
        resolve({ declared_ms, present_ms: Math.round(Number(last[1]) / 1000) });
      },
    );
  });
}

/** RIFF/WAVE: the `fmt ` chunk's byte rate and the `data` chunk's size against the file's length. */
async function wavTruncation(file: string): Promise<Truncation | null> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(65_536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    head = head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE')
    return null;
  let byteRate = 0;
  for (let at = 12; at + 8 <= head.length;) {
    const id = head.toString('latin1', at, at + 4);
    const size = head.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 16 <= head.length) byteRate = head.readUInt32LE(at + 16);
    if (id === 'data') {
      // 0 and 0xFFFFFFFF: written by a program that streamed it and could not go back to fill the size in.
      if (byteRate === 0 || size === 0 || size === 0xffffffff) return null;
      const present = (await stat(file)).size - (at + 8);
      return {
        declared_ms: Math.round((size / byteRate) * 1000),
        present_ms: Math.round((Math.min(present, size) / byteRate) * 1000),
      };
    }
    at += 8 + size + (size % 2);
  }
  return null;
}

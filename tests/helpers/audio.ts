/** Real audio made by the real ffmpeg, for upload tests. */
import { execFileSync } from 'node:child_process';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

export function makeTone(file: string, seconds: number, channels = 2, extraArgs: string[] = []): string {
  execFileSync(ffmpegInstaller.path, [
    '-y',
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:duration=${seconds}`,
    '-ac',
    String(channels),
    ...extraArgs,
    file,
  ]);
  return file;
}

export async function uploadFile(
  url: string,
  token: string,
  file: Buffer | string,
  filename: string,
  title?: string,
): Promise<{ status: number; body: any }> {
  const { readFileSync } = await import('node:fs');
  const data = typeof file === 'string' ? readFileSync(file) : file;
  const form = new FormData();
  if (title) form.append('title', title);
  form.append('file', new Blob([new Uint8Array(data)]), filename);
  const res = await fetch(`${url}/api/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

/** Uploads a tone of `seconds` and waits until the controller has transcoded it. */
export async function uploadReadyTone(url: string, token: string, dir: string, seconds = 2): Promise<any> {
  const { join } = await import('node:path');
  const { waitFor } = await import('./wait.js');
  const up = await uploadFile(
    url,
    token,
    makeTone(join(dir, `tone-${seconds}.wav`), seconds),
    'tone.wav',
    'Thông báo thử',
  );
  if (up.status !== 202) throw new Error(`upload failed: ${up.status} ${JSON.stringify(up.body)}`);
  return waitFor(async () => {
    const res = await fetch(`${url}/api/media/${up.body.id}`, { headers: { authorization: `Bearer ${token}` } });
    const media = await res.json();
    if (media.status === 'failed') throw new Error('transcode failed');
    return media.status === 'ready' ? media : undefined;
  }, 'media ready');
}

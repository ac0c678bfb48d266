/**
 * The bridge (firmware-bridge/bridge/), run as its own process from a YAML file, in front of an
 * RTP paging group, pull-type stream speakers and an FM transmitter, each enrolled as a receiver
 * of the real controller. What reaches the devices is checked where they would get it: RTP
 * packets on loopback decoded by ffmpeg, an HTTP client on the stream, a pty as the
 * transmitter's serial port. What each driver could confirm shows in the broadcast's coverage:
 * sent, never heard (outcome `sent`), while a receiver with its own loudspeaker stays heard.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const ffmpeg = ffmpegInstaller.path;
const PREAMBLE_MS = 500;
let tc: TestController;
let dir: string;
let shortTone: any;
let longTone: any;
let rtpPort: number;
let pty: { path: string; written: () => string; proc: ChildProcess };
let bridge: { proc: ChildProcess; streamUrl: Promise<string> } | undefined;
const fmOut = () => join(dir, 'fm-exciter.wav');

/** A UDP port free now (bound and released): the RTP group's destination. */
async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Whether something (the ffmpeg receiver) has bound the port. */
async function portTaken(port: number): Promise<boolean> {
  const s = createSocket('udp4');
  const taken = await new Promise<boolean>((r) => {
    s.once('error', () => r(true));
    s.bind(port, '127.0.0.1', () => r(false));
  });
  s.close();
  return taken;
}

/** A pseudo-terminal standing in for the transmitter's serial port: everything written to it is collected. */
async function openPty(): Promise<typeof pty> {
  const script = [
    'import os, pty, sys, tty',
    'm, s = pty.openpty()',
    'tty.setraw(s)',
    'print(os.ttyname(s), flush=True)',
    'while True:',
    '    d = os.read(m, 1024)',
    '    sys.stdout.buffer.write(d); sys.stdout.flush()',
  ].join('\n');
  const proc = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  const path = await waitFor(
    () => (out.includes('\n') ? out.slice(0, out.indexOf('\n')) : undefined),
    'the pty to open',
  );
  return { path, proc, written: () => out.slice(out.indexOf('\n') + 1) };
}

function startBridge(): NonNullable<typeof bridge> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'firmware-bridge/bridge/main.ts', '--config', join(dir, 'bridge.yaml')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const streamUrl = waitFor(
    () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .find((l) => l.msg === 'stream server listening')?.url as string | undefined,
    'the stream server',
    30_000,
  );
  return { proc, streamUrl };
}

async function stopBridge(signal: NodeJS.Signals): Promise<void> {
  const proc = bridge!.proc;
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill(signal);
    await exited;
  }
  bridge = undefined;
}

/** Whether an ffmpeg is running with this output (the exciter's sound device) on its command line. */
function ffmpegFeeding(output: string): boolean {
  return spawnSync('pgrep', ['-f', output]).status === 0;
}

const online = async (...ids: string[]) => {
  for (const id of ids)
    await waitFor(
      async () => (await tc.api('GET', `/api/receivers/${id}`)).body.status === 'online',
      `${id} online`,
      30_000,
    );
};

async function send(media: any, receiverId: string, extra: object = {}): Promise<string> {
  const res = await tc.api('POST', '/api/broadcasts', {
    media_id: media.id,
    target: { receiver_ids: [receiverId] },
    ...extra,
  });
  if (res.status === 202) return (await tc.api('POST', res.body.confirmation.confirm_url, {})).body.id;
  expect(res.status).toBe(201);
  return res.body.id;
}

const outcome = (broadcastId: string, receiverId: string, want: string, timeoutMs = 30_000) =>
  waitFor(
    async () => {
      const row = await coverageRow(tc, broadcastId, receiverId);
      return row?.outcome === want ? row : undefined;
    },
    `${receiverId} ${want}`,
    timeoutMs,
  );

/** Integrated loudness (LUFS) and duration (s) as ffmpeg measures them; `skipS` cuts the start. */
function measure(file: string, skipS = 0): { lufs: number; seconds: number } {
  const { stderr } = spawnSync(ffmpeg, [
    '-hide_banner',
    '-nostats',
    ...(skipS ? ['-ss', String(skipS)] : []),
    '-i',
    file,
    '-af',
    'aformat=channel_layouts=mono,ebur128',
    '-f',
    'null',
    '-',
  ]);
  const text = stderr.toString();
  const lufs = Number([...text.matchAll(/I:\s+(-?[\d.]+) LUFS/g)].at(-1)?.[1]); // the summary comes last
  const times = [...text.matchAll(/time=(\d+):(\d+):([\d.]+)/g)].map(
    (m) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]),
  );
  return { lufs, seconds: times.at(-1) ?? NaN };
}

async function sourceFile(media: any, name: string): Promise<string> {
  const res = await fetch(`${tc.url}/api/media/${media.id}/audio`, {
    headers: { authorization: `Bearer ${tc.token}` },
  });
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

beforeAll(async () => {
  tc = await startTestController({ emergency: { repeat_count: 1, repeat_interval_s: 0 } } as any);
  dir = join(tc.dir, 'bridge');
  mkdirSync(dir, { recursive: true });
  shortTone = await uploadReadyTone(tc.url, tc.token, tc.dir, 3);
  longTone = await uploadReadyTone(tc.url, tc.token, tc.dir, 20);
  rtpPort = await freeUdpPort();
  pty = await openPty();
  for (const [id, hamlet] of [
    ['br-rtp', 'thon-1'],
    ['br-stream', 'thon-2'],
    ['br-fm', 'thon-3'],
    ['br-fm-unplugged', 'thon-3'],
  ]) {
    writeFileSync(
      join(dir, `${id}.json`),
      JSON.stringify(await enrolReceiver(tc.url, tc.token, id, hamlet, `Cầu nối ${id}`)),
      { mode: 0o600 },
    );
  }
  writeFileSync(
    join(dir, 'bridge.yaml'),
    `
state_root: ./state
stream_server: { host: 127.0.0.1, port: 0 }
groups:
  - agent_config: br-rtp.json
    driver: { kind: rtp, codec: pcmu, packet_ms: 20, destinations: ["127.0.0.1:${rtpPort}"], preamble: { frequency_hz: 880, duration_ms: ${PREAMBLE_MS} } }
  - agent_config: br-stream.json
    driver:
      kind: http_stream
      mount: /thon-2.mp3
      name: Truyền thanh thôn Đoài
      devices: [{ name: loa-cho, ip: 127.0.0.1, user_agent: loa-test }, { name: loa-dinh, ip: 10.9.9.9 }]
  - agent_config: br-fm.json
    driver:
      kind: fm
      output_format: wav
      output_device: ${fmOut()}
      ptt: { kind: serial, path: ${pty.path}, key: "TX ON\\r", unkey: "TX OFF\\r" }
      lead_ms: 300
      tail_ms: 200
  - agent_config: br-fm-unplugged.json
    driver:
      kind: fm
      output_format: wav
      output_device: ${join(dir, 'fm-unplugged.wav')}
      ptt: { kind: serial, path: ${join(dir, 'ttyUSB-unplugged')}, key: "TX ON\\r", unkey: "TX OFF\\r" }
`,
  );
  bridge = startBridge();
  await online('br-rtp', 'br-stream', 'br-fm', 'br-fm-unplugged');
}, 120_000);

afterAll(async () => {
  if (bridge) await stopBridge('SIGTERM');
  pty?.proc.kill();
  await tc?.close();
});

describe('the RTP driver', () => {
  it("sends the broadcast's audio, after its preamble, to the group's address, and says only that it sent it", async () => {
    const sdp = join(dir, 'rx.sdp');
    writeFileSync(
      sdp,
      `v=0\no=- 0 0 IN IP4 127.0.0.1\ns=bridge\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio ${rtpPort} RTP/AVP 0\na=rtpmap:0 PCMU/8000\na=ptime:20\n`,
    );
    const recorded = join(dir, 'rtp-received.wav');
    const receiver = spawn(
      ffmpeg,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-protocol_whitelist',
        'file,udp,rtp',
        '-i',
        sdp,
        '-c:a',
        'pcm_s16le',
        recorded,
      ],
      { stdio: ['pipe', 'ignore', 'inherit'] },
    );
    const receiverDone = new Promise((r) => receiver.once('exit', r));
    await waitFor(() => portTaken(rtpPort), 'the RTP receiver to listen');

    const id = await send(shortTone, 'br-rtp');
    // Sent, not confirmed heard: the group's hamlet is not reached, and is said apart.
    const row = await outcome(id, 'br-rtp', 'sent');
    expect(row.detail).toBe(`rtp pcmu: sent to 1 address (127.0.0.1:${rtpPort}); no receipt from devices`);
    const coverage = (await tc.api('GET', `/api/broadcasts/${id}/coverage`)).body;
    expect(coverage).toMatchObject({
      complete: true,
      totals: { targeted: 1, finished: 0, sent: 1 },
      hamlets_reached: 0,
      households_reached: 0,
      hamlets_sent_only: 1,
    });
    expect(coverage.hamlets[0]).toMatchObject({ hamlet_id: 'thon-1', reached: false, sent_only: true });
    receiver.stdin!.end('q');
    await receiverDone;

    const source = measure(await sourceFile(shortTone, 'short.mp3'));
    const heard = measure(recorded);
    expect(Math.abs(heard.seconds - (source.seconds + PREAMBLE_MS / 1000))).toBeLessThan(0.5);
    // Played at the broadcast's volume (85 % by default), as a loudspeaker would.
    const volume = (await tc.api('GET', `/api/broadcasts/${id}`)).body.volume_pct / 100;
    const afterPreamble = measure(recorded, PREAMBLE_MS / 1000 + 0.1);
    expect(Math.abs(afterPreamble.lufs - (source.lufs + 20 * Math.log10(volume)))).toBeLessThan(2);
  }, 60_000);

  it("beside a real receiver's loudspeaker: the loudspeaker is heard and reaches the hamlet, the group is only sent", async () => {
    const agent = await startTestAgent(tc, 'rx-loa-thon-1', 'thon-1');
    try {
      const res = await tc.api('POST', '/api/broadcasts', {
        media_id: shortTone.id,
        target: { receiver_ids: ['rx-loa-thon-1', 'br-rtp'] },
      });
      expect(res.status).toBe(201);
      const id = res.body.id;
      await outcome(id, 'rx-loa-thon-1', 'finished');
      await outcome(id, 'br-rtp', 'sent');
      const coverage = (await tc.api('GET', `/api/broadcasts/${id}/coverage`)).body;
      expect(coverage).toMatchObject({
        complete: true,
        totals: { targeted: 2, finished: 1, sent: 1 },
        hamlets_reached: 1,
        households_reached: 100,
        hamlets_sent_only: 0,
      });
      expect(coverage.hamlets[0]).toMatchObject({ hamlet_id: 'thon-1', reached: true, sent_only: false });
    } finally {
      await agent.stop();
    }
  }, 60_000);

  it('stops sending on stop-all', async () => {
    const socket: Socket = createSocket('udp4');
    let packets = 0;
    let lastAt = 0;
    socket.on('message', () => {
      packets++;
      lastAt = performance.now();
    });
    await new Promise<void>((r) => socket.bind(rtpPort, '127.0.0.1', () => r()));
    try {
      const id = await send(longTone, 'br-rtp');
      await waitFor(() => packets > 50, 'RTP packets to flow');
      expect((await tc.api('POST', '/api/broadcasts/stop', {})).status).toBe(202);
      const row = await outcome(id, 'br-rtp', 'failed');
      expect(row.reason).toBe('stopped');
      expect(row.detail).toMatch(/^rtp pcmu: sent to 1 address/);
      // Quiet for a second after the stop; a sender left running would fill all 20 s.
      await waitFor(() => performance.now() - lastAt > 1000, 'the packets to stop', 30_000);
      expect(packets * 0.02).toBeLessThan(15);
    } finally {
      socket.close();
    }
  }, 60_000);
});

describe('the HTTP stream driver', () => {
  it('serves an Icecast-style MP3 stream and reports the devices that fetched the broadcast', async () => {
    const url = `${await bridge!.streamUrl}/thon-2.mp3`;
    const listening = new AbortController();
    const res = await fetch(url, { headers: { 'user-agent': 'loa-test/1.0' }, signal: listening.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    // ASCII: a player reading headers as latin1 shows the name, not UTF-8 bytes.
    expect(res.headers.get('icy-name')).toBe('Truyen thanh thon Doai');
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('transfer-encoding')).toBeNull();
    const chunks: Buffer[] = [];
    const reading = (async () => {
      for await (const c of res.body!) chunks.push(Buffer.from(c));
    })().catch(() => {});

    const id = await send(shortTone, 'br-stream');
    // Fetched is not heard: sent, not confirmed.
    const row = await outcome(id, 'br-stream', 'sent');
    expect(row.detail).toBe('http stream: fetched by 1 device (loa-cho); not fetched: loa-dinh');
    listening.abort();
    await reading;
    const heard = join(dir, 'stream-heard.mp3');
    writeFileSync(heard, Buffer.concat(chunks));
    // Silence before and after, the broadcast between: the whole is at least as long, and not silent.
    const m = measure(heard);
    expect(m.seconds).toBeGreaterThan(measure(await sourceFile(shortTone, 'short.mp3')).seconds);
    expect(m.lufs).toBeGreaterThan(-40);
  }, 60_000);

  it('says no device fetched a broadcast that nobody pulled, as a failure', async () => {
    const id = await send(shortTone, 'br-stream');
    const row = await outcome(id, 'br-stream', 'failed');
    expect(row.reason).toBe('player_error');
    expect(row.detail).toMatch(
      /^http stream: fetched by 0 devices; not fetched: loa-cho, loa-dinh: played to its end, but no device fetched it/,
    );
  }, 60_000);
});

describe('the FM driver', () => {
  const commands = () => pty.written().split('\r').filter(Boolean);

  it('released the transmitter when the bridge started', () => {
    expect(commands()).toEqual(['TX OFF']);
  });

  it('keys the transmitter before the audio and releases it after', async () => {
    const seenAtKey: boolean[] = [];
    const before = commands().length;
    const watch = setInterval(() => {
      if (commands().length === before + 1 && seenAtKey.length === 0) seenAtKey.push(existsSync(fmOut()));
    }, 5);
    try {
      const id = await send(shortTone, 'br-fm');
      const row = await outcome(id, 'br-fm', 'sent');
      expect(row.detail).toBe(
        `fm: transmitter keyed (serial ${pty.path}), audio played to wav ${fmOut()}, released after the tail`,
      );
    } finally {
      clearInterval(watch);
    }
    expect(commands().slice(before)).toEqual(['TX ON', 'TX OFF']);
    expect(seenAtKey).toEqual([false]); // keyed before any audio was written
    const source = measure(await sourceFile(shortTone, 'short.mp3'));
    expect(Math.abs(measure(fmOut()).seconds - source.seconds)).toBeLessThan(0.5);
  }, 60_000);

  it('does not key the transmitter for a silent test tone (quiet hours): a carrier alone wakes the radios', async () => {
    const before = commands().length;
    const res = await tc.api('POST', '/api/receivers/br-fm/ops', {
      op: 'test_tone',
      args: { seconds: 1, volume_pct: 0 },
    });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ status: 'ok', data: { volume_pct: 0 } });
    expect(commands().slice(before)).toEqual([]);
  }, 60_000);

  it('releases the key when an emergency pre-empts, keys again for the emergency, and releases on stop-all', async () => {
    const before = commands().length;
    const normal = await send(longTone, 'br-fm');
    await outcome(normal, 'br-fm', 'playing');
    const emergency = await send(longTone, 'br-fm', { priority: 'emergency' });
    const cut = await outcome(normal, 'br-fm', 'failed');
    expect(cut.reason).toBe('preempted');
    expect(cut.detail).toMatch(/released when cut short$/);
    await outcome(emergency, 'br-fm', 'playing');
    expect((await tc.api('POST', '/api/broadcasts/stop', {})).status).toBe(202);
    const stopped = await outcome(emergency, 'br-fm', 'failed');
    expect(stopped.reason).toBe('stopped');
    await waitFor(() => commands().length === before + 4, 'the key released');
    expect(commands().slice(before)).toEqual(['TX ON', 'TX OFF', 'TX ON', 'TX OFF']);
  }, 90_000);

  it('after a crash: its ffmpeg stops feeding the exciter, the key is released at start, the cut item is settled', async () => {
    const before = commands().length;
    const normal = await send(longTone, 'br-fm');
    await outcome(normal, 'br-fm', 'playing');
    await waitFor(() => ffmpegFeeding(fmOut()), 'ffmpeg playing into the exciter');
    await stopBridge('SIGKILL');
    expect(commands().slice(before)).toEqual(['TX ON']); // keyed, and nobody released it
    // The pipe from the dead bridge closed: ffmpeg plays what it had read, then ends (not the whole 20 s).
    await waitFor(() => !ffmpegFeeding(fmOut()), 'the orphaned ffmpeg to end', 10_000);

    bridge = startBridge();
    await waitFor(() => commands().length === before + 2, 'the key released at start', 30_000);
    expect(commands().slice(before)).toEqual(['TX ON', 'TX OFF']);
    await bridge.streamUrl;
    // An ordinary item cut by the crash is not played again, and says why (never "playing" for ever).
    const cut = await outcome(normal, 'br-fm', 'failed');
    expect(cut.reason).toBe('player_error');
    expect(cut.detail).toMatch(/restarted while this played/);
  }, 90_000);

  it('plays an emergency cut by a crash again from the start once the bridge is back', async () => {
    const before = commands().length;
    const emergency = await send(longTone, 'br-fm', { priority: 'emergency' });
    await outcome(emergency, 'br-fm', 'playing');
    await stopBridge('SIGKILL');
    await waitFor(() => !ffmpegFeeding(fmOut()), 'the orphaned ffmpeg to end', 10_000);
    bridge = startBridge();
    const sent = await outcome(emergency, 'br-fm', 'sent', 60_000);
    expect(sent.detail).toMatch(/released after the tail$/);
    // Released at start, then keyed and released again for the whole emergency.
    expect(commands().slice(before)).toEqual(['TX ON', 'TX OFF', 'TX ON', 'TX OFF']);
  }, 90_000);

  it('a group whose serial adapter is unplugged does not stop the bridge: its items fail saying which port', async () => {
    const id = await send(shortTone, 'br-fm-unplugged');
    const failed = await outcome(id, 'br-fm-unplugged', 'failed');
    expect(failed.reason).toBe('player_error');
    expect(failed.detail ?? '').toContain('ttyUSB-unplugged');
    // The other groups played on meanwhile (they are online and answer).
    await online('br-rtp', 'br-stream', 'br-fm');
  }, 60_000);
});

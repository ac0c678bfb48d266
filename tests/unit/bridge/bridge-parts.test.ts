/**
 * The bridge's pure parts: the example config parses, RTP addressing and framing, naming who
 * fetched a stream, the stream's name in ASCII headers, the GPIO key.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bridgeConfigSchema } from '../../../firmware-bridge/bridge/bridge-config.js';
import { openPttLine } from '../../../firmware-bridge/bridge/ptt-line.js';
import { codecArgs, rtpUrl } from '../../../firmware-bridge/bridge/rtp-driver.js';
import { fetchReport } from '../../../firmware-bridge/bridge/stream-driver.js';
import { asciiHeader, StreamMount } from '../../../firmware-bridge/bridge/stream-mount.js';

const dir = mkdtempSync(join(tmpdir(), 'bridge-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bridge config', () => {
  it('accepts the documented example with its defaults', () => {
    const config = bridgeConfigSchema.parse(parse(readFileSync('config/bridge.example.yaml', 'utf8')));
    expect(config.groups.map((g) => g.driver.kind)).toEqual(['rtp', 'http_stream', 'fm']);
  });

  it('refuses a bitrate an MP3 frame cannot have and an address without a port', () => {
    const group = (driver: object) => ({ groups: [{ agent_config: 'a.json', driver }] });
    expect(
      bridgeConfigSchema.safeParse(group({ kind: 'http_stream', mount: '/a.mp3', bitrate_kbps: 50 })).success,
    ).toBe(false);
    expect(bridgeConfigSchema.safeParse(group({ kind: 'rtp', destinations: ['239.1.1.1'] })).success).toBe(false);
  });
});

describe('RTP', () => {
  it('gives multicast destinations a TTL and unicast ones none', () => {
    expect(rtpUrl('239.192.10.1:5004', 8, 172)).toBe('rtp://239.192.10.1:5004?pkt_size=172&ttl=8');
    expect(rtpUrl('192.168.1.20:5004', 8, 172)).toBe('rtp://192.168.1.20:5004?pkt_size=172');
    expect(rtpUrl('[ff05::1]:5004', 4, 172)).toBe('rtp://[ff05::1]:5004?pkt_size=172&ttl=4');
  });

  it('fills each G.711 packet with exactly one packet time of samples', () => {
    expect(codecArgs('pcmu', 20)).toMatchObject({
      filters: ['aresample=8000', 'asetnsamples=n=160:p=0'],
      pktSize: 172,
    });
    expect(codecArgs('pcma', 40).encoder).toContain('pcm_alaw');
    expect(codecArgs('opus', 60).encoder).toEqual(expect.arrayContaining(['libopus', '-frame_duration', '60']));
    expect(codecArgs('pcmu', 30)).toMatchObject({
      filters: expect.arrayContaining(['asetnsamples=n=240:p=0']),
      pktSize: 252,
    });
  });
});

describe('who fetched a stream', () => {
  const devices = [
    { name: 'loa-cho', ip: '10.0.0.1' },
    { name: 'loa-dinh', ip: '10.0.0.2', user_agent: 'Barix' },
  ];

  it('names listed devices, shows unlisted ones by address, and says which listed ones did not fetch', () => {
    expect(
      fetchReport(
        [
          { ip: '10.0.0.1', user_agent: 'x' },
          { ip: '10.0.0.9', user_agent: 'VLC/3.0' },
        ],
        devices,
      ),
    ).toBe('http stream: fetched by 2 devices (loa-cho, 10.0.0.9 VLC/3.0); not fetched: loa-dinh');
  });

  it('does not credit a device whose User-Agent differs from the listed one', () => {
    expect(fetchReport([{ ip: '10.0.0.2', user_agent: 'curl/8' }], devices)).toBe(
      'http stream: fetched by 1 device (10.0.0.2 curl/8); not fetched: loa-cho, loa-dinh',
    );
  });
});

describe("the stream's name in its headers (outsider: UTF-8 in icy-name breaks players reading latin1)", () => {
  it('drops the Vietnamese marks, đ as d, and anything else not ASCII', () => {
    expect(asciiHeader('Truyền thanh thôn Đoài', 'x')).toBe('Truyen thanh thon Doai');
    expect(asciiHeader('Đài phát thanh xã Ưu Điềm – Quảng Trị', 'x')).toBe('Dai phat thanh xa Uu Diem Quang Tri');
    expect(asciiHeader('đường Ơn Ấp', 'x')).toBe('duong On Ap');
    expect(asciiHeader('广播', 'thon-2.mp3')).toBe('thon-2.mp3');
  });

  it('sends icy-name in ASCII to a connecting player', async () => {
    const mount = new StreamMount('/thon-2.mp3', 'Truyền thanh thôn Đoài', 64, Buffer.alloc(192));
    const server = createServer((req, res) => mount.attach(res, { ip: '127.0.0.1', user_agent: '' }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    // Silence flowing: the headers go out with the first frames.
    mount.start();
    try {
      const stop = new AbortController();
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/thon-2.mp3`, {
        signal: stop.signal,
      });
      const raw = res.headers.get('icy-name')!;
      stop.abort();
      expect(raw).toBe('Truyen thanh thon Doai');
      expect(/^[\x20-\x7e]*$/.test(raw)).toBe(true);
    } finally {
      mount.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('the transmitter key on a GPIO line', () => {
  it('writes 1 to key and 0 to release, inverted when active low', () => {
    const path = join(dir, 'value');
    const high = openPttLine({ kind: 'gpio', path, active_low: false });
    high.key();
    expect(readFileSync(path, 'utf8')).toBe('1');
    high.unkey();
    expect(readFileSync(path, 'utf8')).toBe('0');
    openPttLine({ kind: 'gpio', path, active_low: true }).key();
    expect(readFileSync(path, 'utf8')).toBe('0');
  });
});

/**
 * RTP driver: sends the audio as RTP (RFC 3550) to a multicast group or to each device's unicast
 * address, for IP paging speakers and SIP/RTP paging gateways. G.711 (RFC 3551: PCMU payload
 * type 0, PCMA 8, 8 kHz mono) or Opus (RFC 7587: a dynamic payload type, 48 kHz). One encoding,
 * copied to every destination (ffmpeg's tee muxer).
 *
 * What it can know: that the packets left for N addresses. RTP has no answer, so it never says a
 * speaker played them.
 */
import type { PlayReport, PlayRequest, Player, StreamRequest } from '../agent/players.js';
import type { RtpDriverConfig } from './bridge-config.js';
import { runFfmpeg, type AudioSource } from './ffmpeg-run.js';
import { reportedAbort, sentReport } from './reports.js';

const DEFAULT_PAYLOAD_TYPE = { pcmu: 0, pcma: 8, opus: 111 } as const;
const RTP_HEADER_BYTES = 12;

/** The codec's filters and encoder arguments for one packet of `packet_ms`. */
export function codecArgs(
  codec: RtpDriverConfig['codec'],
  packetMs: number,
): { filters: string[]; encoder: string[]; pktSize: number } {
  if (codec === 'opus') {
    // One Opus frame per packet: the frame duration is the packet time.
    return {
      filters: [],
      encoder: [
        '-c:a',
        'libopus',
        '-ar',
        '48000',
        '-ac',
        '1',
        '-b:a',
        '32k',
        '-application',
        'voip',
        '-frame_duration',
        String(packetMs),
      ],
      pktSize: 1400,
    };
  }
  // G.711 is one byte a sample: frames of exactly one packet's samples make every packet full and on time.
  const samples = 8 * packetMs;
  return {
    filters: ['aresample=8000', `asetnsamples=n=${samples}:p=0`],
    encoder: ['-c:a', codec === 'pcmu' ? 'pcm_mulaw' : 'pcm_alaw', '-ar', '8000', '-ac', '1'],
    pktSize: samples + RTP_HEADER_BYTES,
  };
}

/**
 * The URL of one destination: multicast gets the TTL, every packet at most one packet's size.
 * IPv4 multicast leaves by `multicastInterface` when given: ffmpeg binds its socket to that local
 * address (`localaddr`), and Linux sends multicast from a bound address out of its interface.
 * That URL is udp:// (the RTP muxer's packets over plain UDP, without RTCP, which paging
 * speakers do not use): ffmpeg's udp protocol has read `localaddr` for a decade, while its rtp
 * protocol ignores it in older builds such as the one @ffmpeg-installer bundles.
 */
export function rtpUrl(address: string, ttl: number, pktSize: number, multicastInterface?: string): string {
  const host = address.slice(0, address.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  const first = Number(host.split('.')[0]);
  const ipv6 = host.includes(':');
  const multicast = (first >= 224 && first <= 239) || (ipv6 && host.toLowerCase().startsWith('ff'));
  const bound = multicast && !ipv6 && multicastInterface !== undefined;
  const local = bound ? `&localaddr=${multicastInterface}` : '';
  return `${bound ? 'udp' : 'rtp'}://${address}?pkt_size=${pktSize}${multicast ? `&ttl=${ttl}` : ''}${local}`;
}

export class RtpDriver implements Player {
  constructor(
    private readonly config: RtpDriverConfig,
    private readonly ffmpegPath?: string,
  ) {}

  play(request: PlayRequest, signal: AbortSignal): Promise<PlayReport> {
    return this.send({ file: request.file, duration_ms: request.duration_ms }, request.volume_pct, signal);
  }

  playStream(request: StreamRequest, signal: AbortSignal): Promise<PlayReport> {
    return this.send({ stream: request }, request.volume_pct, signal);
  }

  /** What it can say: how many addresses the packets were sent to, and which. */
  report(): PlayReport {
    const { destinations, codec } = this.config;
    return sentReport(
      `rtp ${codec}: sent to ${destinations.length} address${destinations.length === 1 ? '' : 'es'} (${destinations.join(', ')}); no receipt from devices`,
    );
  }

  private async send(source: AudioSource, volume_pct: number, signal: AbortSignal): Promise<PlayReport> {
    const { codec, packet_ms, destinations, ttl, preamble, multicast_interface } = this.config;
    const payloadType = this.config.payload_type ?? DEFAULT_PAYLOAD_TYPE[codec];
    const { filters, encoder, pktSize } = codecArgs(codec, packet_ms);
    const tee = destinations
      .map((d) => `[f=rtp:payload_type=${payloadType}]${rtpUrl(d, ttl, pktSize, multicast_interface)}`)
      .join('|');
    await reportedAbort(
      () => this.report(),
      runFfmpeg(
        { source, volume_pct, preamble, filters, output: [...encoder, '-f', 'tee', tee], ffmpegPath: this.ffmpegPath },
        signal,
      ),
    );
    return this.report();
  }
}

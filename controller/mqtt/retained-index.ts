/**
 * aedes's memory persistence answers every SUBSCRIBE by testing the subscription against every
 * retained message. Each receiver keeps a retained status, and each subscribes on connect, so a
 * fleet reconnecting costs receivers x receivers topic matches: at 5,000 receivers, most of the
 * controller's CPU for half a minute (measured). Receivers subscribe to exact topics, never
 * wildcards: those are answered from an index of retained topics instead of a scan. Wildcard
 * subscriptions (the controller's own) still go through the library.
 */
import { Readable } from 'node:stream';

interface RetainedPacket {
  topic: string;
  payload: Buffer;
}
interface RetainedPersistence {
  storeRetained(packet: RetainedPacket, cb?: (err: Error | null) => void): unknown;
  createRetainedStreamCombi(patterns: string[]): Readable;
}

const isExact = (pattern: string) => !pattern.includes('+') && !pattern.includes('#');

export function indexRetained<P>(persistence: P): P {
  const p = persistence as unknown as RetainedPersistence;
  const byTopic = new Map<string, RetainedPacket>();
  const store = p.storeRetained.bind(p);
  const scan = p.createRetainedStreamCombi.bind(p);
  p.storeRetained = (packet, cb) => {
    if (packet.payload.length === 0) byTopic.delete(packet.topic);
    else byTopic.set(packet.topic, { ...packet });
    return store(packet, cb);
  };
  p.createRetainedStreamCombi = (patterns) => {
    if (!patterns.every(isExact)) return scan(patterns);
    return Readable.from(
      patterns.flatMap((topic) => byTopic.get(topic) ?? []),
      { objectMode: true },
    );
  };
  return persistence;
}

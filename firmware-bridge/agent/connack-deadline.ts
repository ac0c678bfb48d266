/**
 * How long a receiver waits for the broker's CONNACK, and letting a connection go that has had
 * none in time.
 */
import type { MqttClient } from 'mqtt';

/**
 * How long a connection attempt may wait for its CONNACK, by how many attempts in a row have
 * timed out and how long this receiver's last connection took (from opening it to the CONNACK):
 * short first, so that a link stuck in a crowded broker's queue is let go and tried again while
 * the crowd passes, then longer, so that a slow link (GPRS, TLS on a small board) still gets
 * through. When a whole fleet comes back at once (a broker restart, a power cut), the broker's
 * listen queue overflows: the kernel drops the handshake's last step, the receiver believes itself
 * connected, and its CONNECT waits on TCP's retransmissions, which back off to tens of seconds. At
 * 10,000 receivers on Mosquitto (listen queue 100), 1,254 of them waited out a 30 s timeout and
 * were back after 37 s; with 15 s, after 21-23 s; with 8 s, about 1,000 let a connection go 11-12 s
 * after the restart and were back after 16-22 s.
 *
 * The first attempt waits three times as long as the last connection took, at least 4 s and at
 * most 8 s (8 s when there was none: the link is unknown): a receiver on a wired or Wi-Fi link
 * (tens of milliseconds) lets a stuck connection go after 4 s, one on a slow link that needed 2.5 s
 * keeps 7.5 s, so it is not cut off every time it comes back.
 */
export function connectTimeoutMs(timedOutInARow: number, lastConnectMs?: number): number {
  const first = lastConnectMs === undefined ? 8_000 : Math.min(8_000, Math.max(4_000, 3 * lastConnectMs));
  // In turn, not climbing for good: a link whose attempts vanish during an outage (a route down,
  // a broker host without power) times out too, and must not meet the broker's return on 30 s.
  return [first, 15_000, 30_000][timedOutInARow % 3]!;
}

/** mqtt.js's own timeout, left as a backstop beyond the longest of ours. */
export const CONNACK_BACKSTOP_MS = 60_000;

/**
 * Lets each connection attempt of `client` go when it has had no CONNACK within connectTimeoutMs,
 * and calls `onTimedOut`; mqtt.js then connects again after its reconnect period. It decides only
 * once the event loop has read its sockets: timers run before reads, so after a busy stretch (a
 * small board hashing an update, 10,000 simulated receivers in one process) a CONNACK that came in
 * time may wait unread when the timer fires, and mqtt.js's own timer would drop that connection.
 * (In the restart bench at 10,000 the count of receivers letting a connection go did not fall with
 * this: those connections were truly stuck in Mosquitto's overflowing listen queue.)
 */
export function watchConnack(
  client: MqttClient,
  onTimedOut: () => void,
  timeoutMs: (timedOutInARow: number, lastConnectMs?: number) => number = connectTimeoutMs,
): void {
  let timedOutInARow = 0;
  let lastConnectMs: number | undefined;
  let openedAt = 0;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    openedAt = performance.now();
    const mine = ++attempt;
    timer = setTimeout(
      () =>
        setImmediate(() => {
          if (client.connected || mine !== attempt || client.disconnecting) return;
          timedOutInARow++;
          onTimedOut();
          client.stream?.destroy(); // mqtt.js sees the link close and connects again
        }),
      timeoutMs(timedOutInARow, lastConnectMs),
    );
  };
  arm(); // the first attempt is under way: mqtt.connect has opened it
  // 'reconnect' comes just before mqtt.js opens the next attempt.
  client.on('reconnect', arm);
  // Timed at the CONNACK itself: mqtt.js says 'connect' only once it has sent again what it kept.
  client.on('packetreceive', (packet) => {
    if (packet.cmd === 'connack') lastConnectMs = performance.now() - openedAt;
  });
  client.on('connect', () => {
    clearTimeout(timer);
    timedOutInARow = 0;
  });
  // Refused, or closed: that attempt is over; the next 'reconnect' arms again.
  client.on('close', () => {
    clearTimeout(timer);
    attempt++;
  });
}

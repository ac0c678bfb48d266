/**
 * Subscriptions asked of the broker on every connection, whatever mqtt.js remembers.
 *
 * mqtt.js keeps the topics it was once asked for and, asked again, silently skips them (it calls
 * back with nothing granted); after a reconnection it subscribes again only when the broker says
 * the session is gone. A link that closes between CONNACK and SUBACK leaves the broker a session
 * (clean: false) with no subscriptions: the next connection is told the session is present, and
 * the client stays connected and deaf. Seen on Mosquitto restarted under 10,000 simulated
 * receivers (2026-12-05): 101-215 of them online, and no command reached them. `resubscribe`
 * makes mqtt.js send the SUBSCRIBE each time.
 */
import type { ISubscriptionMap } from 'mqtt';

export function everyConnection(topicList: readonly string[]): ISubscriptionMap {
  const map = Object.fromEntries(topicList.map((topic) => [topic, { qos: 1 as const }]));
  // The type joins a topic map and the flag: built apart, then one object (mqtt.js reads both).
  return Object.assign(map, { resubscribe: true }) as unknown as ISubscriptionMap;
}

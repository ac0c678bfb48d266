/**
 * For an MQTT client that subscribes itself on every connection (the agent, the controller): the
 * broker is asked for the subscriptions each time, whatever mqtt.js remembers.
 *
 * By default mqtt.js keeps the topics it was once asked for and, asked again, silently skips them
 * (it calls back with nothing granted); after a reconnection it subscribes again only when the
 * broker says the session is gone. A link that closes between CONNACK and SUBACK leaves the broker
 * a session (clean: false) with no subscriptions: the next connection is told the session is
 * present, and the client stays connected and deaf. Seen on Mosquitto restarted under 10,000
 * simulated receivers (2026-12-05): 101-215 of them online, and no command reached them. Without
 * mqtt.js's own resubscription, ours is the only one: one SUBSCRIBE per connection, so the
 * retained messages of a wildcard (every receiver's status, for the controller) come once.
 */
export const subscribedByUs = { resubscribe: false } as const;

/**
 * MQTT topic names of protocol v1: the one place they are spelled.
 * See PROTOCOL.md beside this file for the human-readable table.
 *
 * Receiver and hamlet ids are restricted (ID_PATTERN) so that they can never contain MQTT
 * wildcard or separator characters ('+', '#', '/') [MQTT-4.7.1].
 */
export const PROTOCOL_VERSION = 1;
export const TOPIC_ROOT = 'tt/v1';

/** Ids of receivers and hamlets: lower-case letters, digits and dashes, 1-64 characters. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const topics = {
  /** controller -> one receiver: signed commands (play, stop, ack receipts). QoS 1, never retained. */
  receiverCommands: (receiverId: string) => `${TOPIC_ROOT}/cmd/rx/${receiverId}`,
  /** controller -> every receiver of a hamlet: signed commands. QoS 1, never retained. */
  hamletCommands: (hamletId: string) => `${TOPIC_ROOT}/cmd/hamlet/${hamletId}`,
  /** receiver -> controller: availability (birth and last will). QoS 1, retained. */
  status: (receiverId: string) => `${TOPIC_ROOT}/rx/${receiverId}/status`,
  /** receiver -> controller: playback acknowledgements. QoS 1, never retained. */
  ack: (receiverId: string) => `${TOPIC_ROOT}/rx/${receiverId}/ack`,
  /** receiver -> controller: health telemetry. QoS 0, never retained. */
  telemetry: (receiverId: string) => `${TOPIC_ROOT}/rx/${receiverId}/telemetry`,
  /** receiver -> controller: the answer to a remote operation. QoS 1, never retained. */
  reply: (receiverId: string) => `${TOPIC_ROOT}/rx/${receiverId}/reply`,
} as const;

/**
 * controller -> every receiver: the controller's availability (birth and last will, each naming
 * its boot). QoS 1, retained. A receiver that sees a new boot sends again the acks not yet
 * receipted: the controller that took them may have died before storing them.
 */
export const CONTROLLER_STATUS_TOPIC = `${TOPIC_ROOT}/controller/status`;

/** Every receiver's acks: the controller's subscription the embedded broker's ack gate waits for. */
export const ACKS_FILTER = `${TOPIC_ROOT}/rx/+/ack`;

/** What the controller subscribes to (shared subscription prefixes may be added for clusters). */
export const controllerSubscriptions = [
  `${TOPIC_ROOT}/rx/+/status`,
  ACKS_FILTER,
  `${TOPIC_ROOT}/rx/+/telemetry`,
  `${TOPIC_ROOT}/rx/+/reply`,
] as const;

export type ReceiverTopicKind = 'status' | 'ack' | 'telemetry' | 'reply';

/** Splits `tt/v1/rx/{id}/{kind}`; undefined for anything else. */
export function parseReceiverTopic(topic: string): { receiverId: string; kind: ReceiverTopicKind } | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts[2] !== 'rx') return undefined;
  const [, , , receiverId, kind] = parts;
  if (!ID_PATTERN.test(receiverId)) return undefined;
  if (kind !== 'status' && kind !== 'ack' && kind !== 'telemetry' && kind !== 'reply') return undefined;
  return { receiverId, kind };
}

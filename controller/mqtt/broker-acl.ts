/**
 * Who may publish and subscribe to what on the broker: the permission table as pure functions,
 * so it can be tested as a whole matrix. Anything not granted here is denied, `#`, `+` and
 * `$SYS` included. A receiver speaks only for itself and hears only its own and its hamlet's
 * command topics; only the controller publishes commands, and commands are never retained
 * (a receiver reconnecting at 03:00 must not replay yesterday's broadcast). Every receiver hears
 * the controller's availability, which only the controller publishes (retained).
 */
import {
  CONTROLLER_STATUS_TOPIC,
  controllerSubscriptions,
  ID_PATTERN,
  TOPIC_ROOT,
  topics,
} from '../protocol/topics.js';

/** The controller's broker username: the underscore keeps it outside the receiver id space. */
export const CONTROLLER_USERNAME = '_controller';

export type BrokerPrincipal = { kind: 'controller' } | { kind: 'receiver'; receiverId: string; hamletId: string };

export function canPublish(who: BrokerPrincipal, topic: string, retain: boolean): boolean {
  if (who.kind === 'controller') {
    if (topic === CONTROLLER_STATUS_TOPIC) return true; // its availability is retained by design
    const parts = topic.split('/');
    const isCommandTopic =
      parts.length === 5 &&
      `${parts[0]}/${parts[1]}` === TOPIC_ROOT &&
      parts[2] === 'cmd' &&
      (parts[3] === 'rx' || parts[3] === 'hamlet') &&
      ID_PATTERN.test(parts[4]);
    return isCommandTopic && !retain;
  }
  const self = who.receiverId;
  if (topic === topics.status(self)) return true; // availability is retained by design
  if (topic === topics.ack(self) || topic === topics.telemetry(self) || topic === topics.reply(self)) return !retain;
  return false;
}

export function canSubscribe(who: BrokerPrincipal, topicFilter: string): boolean {
  if (who.kind === 'controller') return (controllerSubscriptions as readonly string[]).includes(topicFilter);
  return (
    topicFilter === topics.receiverCommands(who.receiverId) ||
    topicFilter === topics.hamletCommands(who.hamletId) ||
    topicFilter === CONTROLLER_STATUS_TOPIC
  );
}

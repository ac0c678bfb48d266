/** The broker's permission table as a whole matrix: every principal against every topic class. */
import { describe, expect, it } from 'vitest';
import { canPublish, canSubscribe, type BrokerPrincipal } from '../../../controller/mqtt/broker-acl.js';
import { CONTROLLER_STATUS_TOPIC, topics } from '../../../controller/protocol/topics.js';

const controller: BrokerPrincipal = { kind: 'controller' };
const alice: BrokerPrincipal = { kind: 'receiver', receiverId: 'rx-a', hamletId: 'thon-1' };

const topicClasses: Record<string, string> = {
  own_cmd: topics.receiverCommands('rx-a'),
  other_cmd: topics.receiverCommands('rx-b'),
  own_hamlet_cmd: topics.hamletCommands('thon-1'),
  other_hamlet_cmd: topics.hamletCommands('thon-2'),
  own_status: topics.status('rx-a'),
  own_ack: topics.ack('rx-a'),
  own_telemetry: topics.telemetry('rx-a'),
  own_reply: topics.reply('rx-a'),
  other_reply: topics.reply('rx-b'),
  any_reply: 'tt/v1/rx/+/reply',
  other_status: topics.status('rx-b'),
  other_ack: topics.ack('rx-b'),
  other_telemetry: topics.telemetry('rx-b'),
  all: '#',
  sys: '$SYS/#',
  sys_topic: '$SYS/broker/clients',
  root_wild: 'tt/v1/#',
  any_ack: 'tt/v1/rx/+/ack',
  any_status: 'tt/v1/rx/+/status',
  any_telemetry: 'tt/v1/rx/+/telemetry',
  any_cmd: 'tt/v1/cmd/#',
  bad_cmd_id: 'tt/v1/cmd/rx/+',
  other_root: 'home/light',
  controller_status: CONTROLLER_STATUS_TOPIC,
  any_controller: 'tt/v1/controller/+',
};

// [principal, topic class] -> allowed to [publish (not retained), publish retained, subscribe]
const allowed: Record<string, Record<string, [boolean, boolean, boolean]>> = {
  controller: {
    own_cmd: [true, false, false],
    other_cmd: [true, false, false],
    own_hamlet_cmd: [true, false, false],
    other_hamlet_cmd: [true, false, false],
    any_ack: [false, false, true],
    any_status: [false, false, true],
    any_telemetry: [false, false, true],
    any_reply: [false, false, true],
    controller_status: [true, true, false],
  },
  alice: {
    own_cmd: [false, false, true],
    own_hamlet_cmd: [false, false, true],
    own_status: [true, true, false],
    own_ack: [true, false, false],
    own_telemetry: [true, false, false],
    own_reply: [true, false, false],
    controller_status: [false, false, true],
  },
};

describe('broker permission matrix', () => {
  for (const [name, who] of [
    ['controller', controller],
    ['alice', alice],
  ] as const) {
    for (const [cls, topic] of Object.entries(topicClasses)) {
      const [pub, pubRetained, sub] = allowed[name][cls] ?? [false, false, false];
      it(`${name} ${pub ? 'may' : 'may not'} publish, ${pubRetained ? 'may' : 'may not'} retain, ${sub ? 'may' : 'may not'} subscribe: ${cls}`, () => {
        expect(canPublish(who, topic, false)).toBe(pub);
        expect(canPublish(who, topic, true)).toBe(pubRetained);
        expect(canSubscribe(who, topic)).toBe(sub);
      });
    }
  }
});

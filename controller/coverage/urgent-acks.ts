/**
 * Which acks the inbox checks first (ack-inbox.ts), read from their bytes before they are parsed:
 * those of an urgent command sent lately (an emergency's play, a stop: urgent-commands.ts) and those
 * saying what a stop ended (`stopped`). The receiver's outbox sends the same acks first
 * (firmware-bridge/agent/ack-outbox.ts).
 */
import type { UrgentCommands } from '../outbox/urgent-commands.js';

const STOPPED = Buffer.from('"reason":"stopped"');
const COMMAND_ID = Buffer.from('"command_id":"');

/**
 * A test for acks as our agents write them (JSON.stringify: no spaces); an ack spelt otherwise is
 * only checked in its turn. Without `urgent` (an inbox given no list), only the `stopped` ones.
 */
export function urgentAckTest(urgent: Pick<UrgentCommands, 'has'> | undefined): (payload: Buffer) => boolean {
  return (payload) => {
    if (payload.includes(STOPPED)) return true;
    if (!urgent) return false;
    const at = payload.indexOf(COMMAND_ID);
    if (at < 0) return false;
    const from = at + COMMAND_ID.length;
    const to = payload.indexOf(0x22, from); // the id's closing quote
    return to > from && to - from <= 64 && urgent.has(payload.toString('latin1', from, to));
  };
}

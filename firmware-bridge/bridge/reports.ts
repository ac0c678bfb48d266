/** A driver cut short (stop, emergency) still says what it had done: the ack of the cut carries it. */
import { PlaybackAborted, type PlayReport } from '../agent/players.js';

export async function reportedAbort<T>(report: () => PlayReport, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof PlaybackAborted) throw new PlaybackAborted(err.message, report());
    throw err;
  }
}

/** A driver cut short (stop, emergency) still says what it had done: the ack of the cut carries it. */
import { PlaybackAborted, type PlayReport } from '../agent/players.js';

/**
 * What every driver of the bridge can vouch for: the audio left it (packets sent, a stream
 * fetched, a transmitter keyed and fed), never that anyone heard it. The finished ack says
 * evidence 'sent', so the controller counts no household as reached from it.
 */
export const sentReport = (detail: string): PlayReport => ({ detail, evidence: 'sent' });

export async function reportedAbort<T>(report: () => PlayReport, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof PlaybackAborted) throw new PlaybackAborted(err.message, report());
    throw err;
  }
}

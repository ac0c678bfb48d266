// What the receivers report playing now, by hamlet (GET /api/coverage/now): the dashboard's
// "now playing" and the urgent desk's stop panel read the same.
import { useEffect, useRef } from '../vendor/preact-htm.js';
import { api } from './api.js';
import { onLive } from './live.js';
import { useLoad } from './ui.js';

/**
 * What the receivers report playing now (GET /api/coverage/now): reloaded as acks arrive, at most
 * every two seconds, and every 15 s so that a play window that ends without an ack ends here too.
 */
export function usePlayingNow(allowed) {
  const state = useLoad(() => (allowed ? api('GET', '/api/coverage/now') : Promise.resolve(null)));
  const pending = useRef(null);
  useEffect(() => {
    const soon = () => {
      pending.current ??= setTimeout(() => {
        pending.current = null;
        state.reload();
      }, 2000);
    };
    const off = onLive('acks', soon);
    const every = setInterval(state.reload, 15_000);
    return () => {
      off();
      clearInterval(every);
      clearTimeout(pending.current);
    };
  }, []);
  return state;
}

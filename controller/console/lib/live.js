// The console's live link: one EventSource to /api/events. Its state is shown, never hidden.
const handlers = new Map();
const stateListeners = new Set();
let source = null;

export function connectLive() {
  if (source) return;
  source = new EventSource('/api/events');
  source.onopen = () => stateListeners.forEach((fn) => fn(true));
  source.onerror = () => stateListeners.forEach((fn) => fn(false));
  for (const type of ['receiver', 'alert', 'acks', 'broker', 'integrity']) {
    source.addEventListener(type, (e) => (handlers.get(type) || new Set()).forEach((fn) => fn(JSON.parse(e.data))));
  }
}

export function disconnectLive() {
  source?.close();
  source = null;
}

/** Listens to one kind of event; returns the function that stops listening. */
export function onLive(type, fn) {
  if (!handlers.has(type)) handlers.set(type, new Set());
  handlers.get(type).add(fn);
  return () => handlers.get(type).delete(fn);
}

export const onLiveState = (fn) => stateListeners.add(fn);

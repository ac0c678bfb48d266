// The controller's clock, as the console knows it. An official's phone or the office PC may be
// minutes off (or, in the tests, the controller's clock is moved): a confirmation must not show as
// lapsed while the controller still accepts it, nor "today" be another day. Every API answer carries
// the controller's time (x-controller-time); the console counts from it, not from its own clock.
let offsetMs = 0;

/** Learns the offset from one answer: its header against the middle of the request's round trip. */
export function learnControllerTime(header, sentAt, receivedAt) {
  const at = Date.parse(header ?? '');
  if (!Number.isNaN(at)) offsetMs = at - (sentAt + receivedAt) / 2;
}

/** Milliseconds since the epoch by the controller's clock. */
export const controllerNow = () => Date.now() + offsetMs;
/** Now by the controller's clock, as a Date. */
export const controllerDate = () => new Date(controllerNow());

/**
 * mqtt.js's own debug log, for the clients that carry thousands of packets a second (the
 * controller's, and a simulated fleet's 10,000 agents). mqtt.js calls its logger several times per
 * packet even when nothing is printed, and asking the `debug` package each time cost about 2 % of a
 * simulated fleet's CPU in a broker restart (a profile, 2026-12-06): off unless DEBUG is set, which
 * turns it on as mqtt.js documents (`DEBUG=mqttjs*`). Then every packet it logs has its password
 * masked: mqtt.js prints each CONNECT in full, and a technician's debug log pasted into a support
 * ticket must not carry a receiver's secret or the controller's broker password (an outsider,
 * 2026-12-06). mqtt-packet's own log (`DEBUG=*`) prints a password given as a string, so every
 * client gives its own through mqttPassword.
 */
import createDebug from 'debug';

/** A logged value without its password: a CONNECT packet is the one that has one. */
function withoutPassword(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !('password' in value)) return value;
  return { ...value, password: '[masked]' };
}

function maskingLog(namespace: string): (...args: unknown[]) => void {
  const debug = createDebug(namespace);
  return (...args) => {
    if (debug.enabled) debug(...(args.map(withoutPassword) as [unknown, ...unknown[]]));
  };
}

export const mqttDebugLog: Readonly<{ log: (...args: unknown[]) => void }> = Object.freeze(
  process.env.DEBUG ? { log: maskingLog('mqttjs:client') } : { log: () => {} },
);

/** A password as mqtt.js is to get it: a Buffer, which mqtt-packet's own debug log does not print (a string it does). */
export function mqttPassword(secret: string): Buffer {
  return Buffer.from(secret);
}

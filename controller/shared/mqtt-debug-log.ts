/**
 * mqtt.js's own debug log, for the clients that carry thousands of packets a second (the
 * controller's, and a simulated fleet's 10,000 agents): mqtt.js calls its logger several times
 * per packet even when nothing is printed, and asking the `debug` package each time cost about 2 % of
 * a simulated fleet's CPU in a broker restart (a profile, 2026-12-06). Off unless DEBUG is set,
 * which turns it on as mqtt.js documents (`DEBUG=mqttjs*`).
 */
export const mqttDebugLog: { log?: () => void } = process.env.DEBUG ? {} : { log: () => {} };

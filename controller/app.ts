/**
 * The composition root's front door: `buildController(settings, overrides)` is the one seam for
 * tests and main.ts. The wiring itself lives in wiring/ (one file per group of wings), and the
 * controller runs one list of parts, started in order and stopped in reverse
 * (wiring/controller.ts).
 */
import type { Settings } from './settings.js';
import { Controller, type ControllerOverrides } from './wiring/controller.js';

export { VERSION } from './version.js';
export { Controller, type ControllerOverrides };

export function buildController(settings: Settings, overrides?: ControllerOverrides): Controller {
  return new Controller(settings, overrides);
}

declare module 'fastify' {
  interface FastifyInstance {
    settings: Settings;
  }
}

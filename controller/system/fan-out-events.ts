/**
 * Event emitters that every open console listens to (one listener per Server-Sent Events stream).
 * Node warns of a leak past 10 listeners; a commune office can well have more consoles open, so the
 * warning is moved to where a real leak would be.
 */
import { EventEmitter } from 'node:events';

const MAX_OPEN_CONSOLES = 500;

export function fanOutEvents(): EventEmitter {
  return new EventEmitter().setMaxListeners(MAX_OPEN_CONSOLES);
}

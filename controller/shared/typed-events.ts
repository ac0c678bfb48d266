/**
 * A small typed event emitter: the event names and their arguments are one map, checked by the
 * compiler at every `on`, `off` and `emit`. Services tell each other what happened through it
 * (never through untyped EventEmitter names).
 *
 * Every open console listens (one listener per Server-Sent Events stream). Node warns of a leak
 * past 10 listeners; a commune office can well have more consoles open, so the warning is moved
 * to where a real leak would be.
 */
import { EventEmitter } from 'node:events';

const MAX_OPEN_CONSOLES = 500;

/** Event names to their listener arguments, e.g. `{ stored: [acks: Ack[]] }`. */
export type EventMap<E> = { [K in keyof E]: unknown[] };

export class TypedEvents<E extends EventMap<E>> {
  private readonly emitter = new EventEmitter().setMaxListeners(MAX_OPEN_CONSOLES);

  on<K extends keyof E & string>(name: K, listener: (...args: E[K]) => void): this {
    this.emitter.on(name, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof E & string>(name: K, listener: (...args: E[K]) => void): this {
    this.emitter.off(name, listener as (...args: unknown[]) => void);
    return this;
  }

  emit<K extends keyof E & string>(name: K, ...args: E[K]): boolean {
    return this.emitter.emit(name, ...args);
  }

  listenerCount<K extends keyof E & string>(name: K): number {
    return this.emitter.listenerCount(name);
  }
}

/** The events of one service, fanned out to any number of listeners. */
export function fanOutEvents<E extends EventMap<E>>(): TypedEvents<E> {
  return new TypedEvents<E>();
}

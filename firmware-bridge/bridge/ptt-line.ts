/**
 * The transmitter's key (push-to-talk): a command written to a serial device, or a GPIO line
 * written through its sysfs value file. The serial device stays open while the bridge runs:
 * closing and reopening a port toggles DTR, which resets some controllers.
 */
import { closeSync, constants, openSync, writeFileSync, writeSync } from 'node:fs';
import type { FmDriverConfig } from './bridge-config.js';

export interface PttLine {
  key(): void;
  unkey(): void;
  close(): void;
  /** For reports: "serial /dev/ttyUSB0", "gpio /sys/class/gpio/gpio17/value". */
  readonly name: string;
}

export function openPttLine(config: FmDriverConfig['ptt']): PttLine {
  return config.kind === 'serial' ? new SerialPtt(config) : new GpioPtt(config);
}

class SerialPtt implements PttLine {
  private readonly fd: number;
  readonly name: string;

  constructor(private readonly config: Extract<FmDriverConfig['ptt'], { kind: 'serial' }>) {
    // O_NOCTTY: a daemon opening a tty must never make it its controlling terminal.
    this.fd = openSync(config.path, constants.O_WRONLY | constants.O_NOCTTY);
    this.name = `serial ${config.path}`;
  }

  key(): void {
    this.write(this.config.key);
  }

  unkey(): void {
    this.write(this.config.unkey);
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(text: string): void {
    const bytes = this.config.hex ? Buffer.from(text.replace(/\s+/g, ''), 'hex') : Buffer.from(text, 'utf8');
    writeSync(this.fd, bytes);
  }
}

class GpioPtt implements PttLine {
  readonly name: string;

  constructor(private readonly config: Extract<FmDriverConfig['ptt'], { kind: 'gpio' }>) {
    this.name = `gpio ${config.path}`;
  }

  key(): void {
    writeFileSync(this.config.path, this.config.active_low ? '0' : '1');
  }

  unkey(): void {
    writeFileSync(this.config.path, this.config.active_low ? '1' : '0');
  }

  close(): void {}
}

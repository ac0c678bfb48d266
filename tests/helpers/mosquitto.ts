/** A real Mosquitto from Debian for external-broker tests (.ci/run installs it). */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mosquittoConf, mosquittoHash, writeMosquittoFiles } from '../../controller/mqtt/mosquitto-files.js';

export function mosquittoAvailable(): boolean {
  try {
    execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // `mosquitto -h` exits 3 after printing its help: that still proves it is installed.
    return (err as { status?: number }).status === 3;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts Mosquitto on the files in `dir` (passwd and acl must exist). */
export async function startMosquitto(
  dir: string,
  port: number,
): Promise<{ process: ChildProcess; log: () => string; stop: () => Promise<void> }> {
  if (!mosquittoAvailable())
    throw new Error('Mosquitto is not installed: apt-get install mosquitto (the CI script does this)');
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    mosquittoConf(dir, port, '127.0.0.1', process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root')),
  );
  const child = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const deadline = Date.now() + 5000;
  while (!/Opening ipv4 listen socket/.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    process: child,
    log: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Mosquitto on the files in `dir`, written for the controller's account and one receiver, rx-1 in
 * thon-1 (the tests of one receiver's link), on a free port.
 */
export async function startMosquittoWithOneReceiver(dir: string, controllerPassword: string, receiverSecret: string) {
  writeMosquittoFiles(dir, mosquittoHash(controllerPassword), [
    { username: 'rx-1', mosquitto_hash: mosquittoHash(receiverSecret), hamlet_id: 'thon-1' },
  ]);
  const port = await freePort();
  const broker = await startMosquitto(dir, port);
  return { port, broker, url: `mqtt://127.0.0.1:${port}` };
}

/**
 * A Mosquitto of its own for one controller (tests, benchmarks): its folder under `dir`, a fresh
 * controller password, and the controller's `mqtt` settings to reach it and keep its files.
 */
export async function startControllerMosquitto(dir: string) {
  const mosqDir = join(dir, 'mosquitto');
  mkdirSync(mosqDir, { recursive: true });
  const password = `controller-${Math.random().toString(36).slice(2)}-broker-secret`;
  const passwordFile = join(dir, 'controller-mqtt-password');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  writeMosquittoFiles(mosqDir, mosquittoHash(password), []);
  const port = await freePort();
  const broker = await startMosquitto(mosqDir, port);
  return {
    broker,
    port,
    password,
    mqtt: {
      external_url: `mqtt://127.0.0.1:${port}`,
      external_username: '_controller',
      external_password_file: passwordFile,
      mosquitto_dir: mosqDir,
    },
  };
}

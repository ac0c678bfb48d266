/**
 * With certificates configured, the API is HTTPS only and the embedded broker MQTT over TLS
 * only; enrolled receivers get the commune's CA in their config and the whole loop still runs.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../firmware-bridge/simulator/fleet.js';
import { makeTone } from '../helpers/audio.js';
import { selfSignedCert } from '../helpers/http-servers.js';
import { startTestController, type TestController, onExternalBroker } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let fleet: Fleet;
let ca: string;
const dir = mkdtempSync(join(tmpdir(), 'tt-tls-'));

beforeAll(async () => {
  // A self-signed certificate for 127.0.0.1, as a commune without a public name would make.
  ca = selfSignedCert(dir).cert;
  const tls = { tls_cert_file: join(dir, 'cert.pem'), tls_key_file: join(dir, 'key.pem') };
  tc = await startTestController({ http: tls, mqtt: tls, tls_ca_file: join(dir, 'cert.pem') } as any, { dir });
});
afterAll(async () => {
  await fleet?.stop();
  await tc?.close();
});

describe('TLS', () => {
  it('serves the API over HTTPS only, with HSTS', async () => {
    expect(tc.url).toMatch(/^https:/);
    const dispatcher = new Agent({ connect: { ca } });
    const res = await undiciFetch(`${tc.url}/api/system/health`, { dispatcher });
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age/);
    const plain = tc.url.replace('https:', 'http:');
    await expect(fetch(`${plain}/api/system/health`)).rejects.toThrow();
    // An unknown certificate is refused by a client that checks.
    await expect(fetch(`${tc.url}/api/system/health`)).rejects.toThrow();
  });

  it.skipIf(onExternalBroker)('refuses plain MQTT on the TLS listener', async () => {
    expect(tc.controller.mqttUrl).toMatch(/^mqtts:/);
    const plain = tc.controller.mqttUrl.replace('mqtts:', 'mqtt:');
    const client = mqtt.connect(plain, { username: 'x', password: 'y', reconnectPeriod: 0, connectTimeout: 2000 });
    const outcome = await new Promise<string>((resolve) => {
      client.once('connect', () => resolve('connected'));
      client.once('close', () => resolve('closed'));
      client.once('error', () => resolve('error'));
    });
    client.end(true);
    expect(outcome).not.toBe('connected');
  });

  it('runs a broadcast to receivers that trust the commune CA from their enrolment', async () => {
    const dispatcher = new Agent({ connect: { ca } });
    const api = (path: string, init: any = {}) =>
      undiciFetch(`${tc.url}${path}`, {
        ...init,
        dispatcher,
        headers: { authorization: `Bearer ${tc.token}`, ...(init.headers ?? {}) },
      });
    fleet = new Fleet({
      controllerUrl: tc.url,
      token: tc.token,
      hamlets: ['thon-1'],
      perHamlet: 2,
      stateDir: join(dir, 'agents'),
      store: 'file',
      speed: 0.05,
      ca,
    });
    await fleet.start();
    expect(fleet.agents.every((a) => a.connected)).toBe(true);
    const form = new FormData();
    form.append('file', new Blob([readFileSync(makeTone(join(dir, 'tone.wav'), 1))]), 'tone.wav');
    const up = (await (await api('/api/media', { method: 'POST', body: form })).json()) as any;
    await waitFor(
      async () => ((await (await api(`/api/media/${up.id}`)).json()) as any).status === 'ready',
      'transcode',
    );
    const b = (await (
      await api('/api/broadcasts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ media_id: up.id, target: { hamlet_ids: ['thon-1'] } }),
      })
    ).json()) as any;
    await waitFor(
      async () => ((await (await api(`/api/broadcasts/${b.id}/coverage`)).json()) as any).totals.finished === 2,
      'both receivers to finish over TLS',
    );
  });
});

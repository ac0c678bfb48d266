/**
 * The shared CAP samples end to end: the typhoon alert plays in the hamlets inside its polygon,
 * the update replaces it, the cancellation stops it and is announced; an alert elsewhere plays
 * nowhere; a Test alert plays only as a drill; expired, malformed and dangling alerts are refused.
 * The clock is set to the day of the samples, for the controller and the receivers alike.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { PERMISSIONS } from '../../controller/accounts/permissions.js';
import { CapPoller } from '../../controller/cap/cap-poller.js';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { makeTone } from '../helpers/audio.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const sample = (name: string) => readFileSync(new URL(`../fixtures/cap/${name}`, import.meta.url), 'utf8');
let offset = Date.parse('2026-09-17T08:30:00Z') - Date.now(); // 15:30 in Ninh Bình, after the first alert
const clock = { now: () => new Date(Date.now() + offset) };
const setTime = (iso: string) => { offset = Date.parse(iso) - Date.now(); };

let tc: TestController;
let ingest: string;
const agents: ReceiverAgent[] = [];
const played = new Map<string, string[]>();

async function post(xml: string, token = ingest) {
  const res = await fetch(`${tc.url}/api/cap/alerts`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/cap+xml' }, body: xml });
  return { status: res.status, body: await res.json() };
}
const alerts = async () => (await tc.api('GET', '/api/cap/alerts')).body as any[];

beforeAll(async () => {
  tc = await startTestController({
    hamlets: [
      { id: 'thon-bien', name: 'Thôn Ven Biển', households: 200, population: 800, lat: 20.10, lon: 106.10 },
      { id: 'thon-trung', name: 'Thôn Trũng', households: 150, population: 600, lat: 20.20, lon: 106.20 },
      { id: 'thon-doi', name: 'Thôn Đồi', households: 90, population: 300, lat: 20.45, lon: 105.90 },
    ],
  } as any, { overrides: { clock } });
  ingest = tc.controller.accounts.createToken({ name: 'tinh-ninh-binh', role: 'approver', scopes: ['alerts:ingest'] }, { id: 'test', permissions: new Set(PERMISSIONS) }).token;
  for (const [id, hamlet] of [['rx-bien', 'thon-bien'], ['rx-trung', 'thon-trung'], ['rx-doi', 'thon-doi']]) {
    const config = await enrolReceiver(tc.url, tc.token, id, hamlet, id);
    const state_dir = join(tc.dir, 'agents', id);
    const agent = new ReceiverAgent({ config: { ...config, state_dir }, store: new FileAgentStore(state_dir), player: new SilentPlayer(0.002), clock, logger: pino({ level: 'silent' }) });
    agent.on('playing', (c) => played.set(id, [...(played.get(id) ?? []), c.broadcast_id]));
    agents.push(agent);
    await agent.start();
  }
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

describe('the typhoon samples', () => {
  let alertBroadcast: string;
  let updateBroadcast: string;

  it('broadcasts the alert as an emergency in the hamlets inside its polygon only, reading its text', async () => {
    const res = await post(sample('01-typhoon-alert.xml'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'broadcast', priority: 'emergency', hamlets: ['thon-bien', 'thon-trung'], msg_type: 'Alert', duplicate: false });
    alertBroadcast = res.body.broadcast_id;
    const broadcast = (await tc.api('GET', `/api/broadcasts/${alertBroadcast}`)).body;
    expect(broadcast).toMatchObject({ source: 'cap', priority: 'emergency', drill: false, confirmed_by: 'cap:pctt@ninhbinh.example.vn' });
    await waitFor(() => played.get('rx-bien')?.includes(alertBroadcast) && played.get('rx-trung')?.includes(alertBroadcast), 'both coastal hamlets to play', 30_000);
    expect(played.get('rx-doi') ?? []).not.toContain(alertBroadcast);
    const media = (await tc.api('GET', `/api/media/${broadcast.media_id}`)).body;
    expect(media.title).toBe('CAP: Bão số 5');
    expect(media.duration_ms).toBeGreaterThan(20_000); // headline, description and instruction, read aloud
  }, 60_000);

  it('answers the same alert posted again as a duplicate, and plays nothing more', async () => {
    const res = await post(sample('01-typhoon-alert.xml'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ duplicate: true, broadcast_id: alertBroadcast });
  });

  it('replaces the alert with its update', async () => {
    setTime('2026-09-17T13:05:00Z');
    const res = await post(sample('02-typhoon-update.xml'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ msg_type: 'Update', outcome: 'broadcast', priority: 'emergency', hamlets: ['thon-bien', 'thon-trung'] });
    updateBroadcast = res.body.broadcast_id;
    expect((await tc.api('GET', `/api/broadcasts/${alertBroadcast}`)).body.stopped_at).not.toBeNull();
    expect((await alerts()).find((a) => a.identifier.endsWith('-001')).outcome).toBe('superseded');
  }, 60_000);

  it('follows the cancellation: stops what it references and announces the all-clear as a normal item', async () => {
    setTime('2026-09-18T09:05:00Z');
    const res = await post(sample('03-typhoon-cancel.xml'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ msg_type: 'Cancel', outcome: 'broadcast', priority: 'normal', hamlets: ['thon-bien', 'thon-trung'] });
    expect((await tc.api('GET', `/api/broadcasts/${updateBroadcast}`)).body.stopped_at).not.toBeNull();
    const list = await alerts();
    expect(list.find((a) => a.identifier.endsWith('-001')).outcome).toBe('cancelled');
    expect(list.find((a) => a.identifier.endsWith('-002')).outcome).toBe('cancelled');
  }, 60_000);
});

describe('alerts that must not play live', () => {
  const variant = (id: string, change: (xml: string) => string) => change(sample('01-typhoon-alert.xml').replace('VN-NINHBINH-PCTT-2026-0917-001', id));

  it('plays an alert whose area misses the commune nowhere', async () => {
    setTime('2026-09-17T08:30:00Z');
    const far = variant('FAR-1', (x) => x.replace(/<polygon>[^<]+<\/polygon>/, '<polygon>21.0,105.0 21.2,105.0 21.2,105.2 21.0,105.2 21.0,105.0</polygon>'));
    const res = await post(far);
    expect(res.body).toMatchObject({ outcome: 'outside_area', broadcast_id: null, hamlets: [] });
  });

  it('plays a Test alert only as a drill', async () => {
    const test = variant('TEST-1', (x) => x.replace('<status>Actual</status>', '<status>Test</status>'));
    const res = await post(test);
    expect(res.body.outcome).toBe('drill');
    const broadcast = (await tc.api('GET', `/api/broadcasts/${res.body.broadcast_id}`)).body;
    expect(broadcast.drill).toBe(true);
  }, 60_000);

  it('records an expired alert and never plays it', async () => {
    setTime('2026-09-19T00:00:00Z');
    const res = await post(variant('LATE-1', (x) => x));
    expect(res.body).toMatchObject({ outcome: 'expired', broadcast_id: null });
    setTime('2026-09-17T08:30:00Z');
  });

  it('uses the alert\'s own audio when it carries some', async () => {
    const audio = readFileSync(makeTone(join(tc.dir, 'alert-audio.mp3'), 3, 1)).toString('base64');
    const withAudio = variant('AUDIO-1', (x) => x.replace('<area>', `<resource><resourceDesc>Bản tin</resourceDesc><mimeType>audio/mpeg</mimeType><derefUri>${audio}</derefUri></resource><area>`));
    const res = await post(withAudio);
    expect(res.body.outcome).toBe('broadcast');
    const broadcast = (await tc.api('GET', `/api/broadcasts/${res.body.broadcast_id}`)).body;
    const media = (await tc.api('GET', `/api/media/${broadcast.media_id}`)).body;
    expect(media.duration_ms).toBeGreaterThan(2800);
    expect(media.duration_ms).toBeLessThan(3300);
  }, 60_000);
});

describe('bad CAP input', () => {
  it.each([
    ['not XML', 'this is not xml', 400],
    ['cut short', sample('01-typhoon-alert.xml').slice(0, 300), 400],
    ['another root', '<feed xmlns="http://www.w3.org/2005/Atom"/>', 400],
    ['a wrong status', sample('01-typhoon-alert.xml').replace('<status>Actual</status>', '<status>Real</status>').replace('-001', '-X1'), 400],
    ['no identifier', sample('01-typhoon-alert.xml').replace(/<identifier>[^<]+<\/identifier>/, ''), 400],
    ['an entity bomb', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx">]><alert>&x;</alert>', 400],
  ])('refuses %s with %d and says why', async (_what, xml, status) => {
    const res = await post(xml);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe('cap_invalid');
    expect(res.body.error.message).toMatch(/CAP/);
  });

  it('refuses a cancellation of alerts never received', async () => {
    const dangling = sample('03-typhoon-cancel.xml').replace('-0918-003', '-0918-999').replace(/VN-NINHBINH-PCTT-2026-0917-00[12]/g, 'NEVER-SEEN');
    const res = await post(dangling);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('cap_unknown_reference');
  });

  it('refuses an ingest from a token without the permission', async () => {
    const viewer = tc.controller.accounts.createToken({ name: 'v', role: 'viewer' }, { id: 'test', permissions: new Set(PERMISSIONS) }).token;
    expect((await post(sample('01-typhoon-alert.xml'), viewer)).status).toBe(403);
  });
});

describe('polling a feed', () => {
  it('ingests the alerts an Atom feed links to, once', async () => {
    const alert = sample('01-typhoon-alert.xml').replace('VN-NINHBINH-PCTT-2026-0917-001', 'FEED-1');
    const server = createServer((req, res) => {
      if (req.url === '/feed') {
        res.writeHead(200, { 'content-type': 'application/atom+xml' });
        return res.end(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>PCTT</title><entry><title>Bão</title><link href="http://127.0.0.1:${(server.address() as any).port}/a1.xml"/></entry></feed>`);
      }
      res.writeHead(200, { 'content-type': 'application/cap+xml' });
      res.end(alert);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const poller = new CapPoller(tc.controller.cap, `http://127.0.0.1:${(server.address() as any).port}/feed`, 3600, pino({ level: 'silent' }));
      expect(await poller.poll()).toBe(1);
      expect(await poller.poll()).toBe(0);
      expect((await alerts()).find((a) => a.identifier === 'FEED-1')).toMatchObject({ via: 'feed', outcome: 'broadcast' });
    } finally {
      server.close();
    }
  }, 60_000);
});

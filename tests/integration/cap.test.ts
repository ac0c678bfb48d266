/**
 * The shared CAP samples end to end: the typhoon alert plays in the hamlets inside its polygon,
 * the update replaces it, the cancellation stops it and is announced; an alert elsewhere plays
 * nowhere; a Test alert plays only as a drill; expired, malformed and dangling alerts are refused.
 * Then the alerts real provinces send that were misread: several <info> blocks, no <expires>,
 * another namespace, huge audio, a feed with a dead entry, an area without receivers, no
 * Vietnamese, an unknown sender (tests/fixtures/cap/04-… to 10-…).
 * The clock is set to the day of the samples, for the controller and the receivers alike. The
 * samples' sender is trusted (cap.trusted_senders); any other sender waits for a person.
 */
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
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
const setTime = (iso: string) => {
  offset = Date.parse(iso) - Date.now();
};

let tc: TestController;
let ingest: string;
const agents: ReceiverAgent[] = [];
const played = new Map<string, string[]>();

async function post(xml: string, token = ingest) {
  const res = await fetch(`${tc.url}/api/cap/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/cap+xml' },
    body: xml,
  });
  return { status: res.status, body: await res.json() };
}
const alerts = async () => (await tc.api('GET', '/api/cap/alerts')).body as any[];
const audit = async (action: string) =>
  ((await tc.api('GET', '/api/audit?limit=1000')).body as any[]).filter((e) => e.action === action);
const capBroadcasts = () =>
  tc.controller.db.prepare("SELECT COUNT(*) AS n FROM broadcasts WHERE source = 'cap'").get() as { n: number };
async function serve(handler: RequestListener): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, base: `http://127.0.0.1:${(server.address() as any).port}` };
}

beforeAll(async () => {
  tc = await startTestController(
    {
      hamlets: [
        { id: 'thon-bien', name: 'Thôn Ven Biển', households: 200, population: 800, lat: 20.1, lon: 106.1 },
        { id: 'thon-trung', name: 'Thôn Trũng', households: 150, population: 600, lat: 20.2, lon: 106.2 },
        { id: 'thon-doi', name: 'Thôn Đồi', households: 90, population: 300, lat: 20.45, lon: 105.9 },
        { id: 'thon-moi', name: 'Thôn Mới', households: 40, population: 150, lat: 20.6, lon: 105.6 }, // no receiver yet
      ],
      cap: { trusted_senders: ['pctt@ninhbinh.example.vn'], max_audio_mb: 1 },
    } as any,
    { overrides: { clock } },
  );
  ingest = tc.controller.accounts.createToken(
    { name: 'tinh-ninh-binh', role: 'approver', scopes: ['alerts:ingest'] },
    { id: 'test', permissions: new Set(PERMISSIONS) },
  ).token;
  for (const [id, hamlet] of [
    ['rx-bien', 'thon-bien'],
    ['rx-trung', 'thon-trung'],
    ['rx-doi', 'thon-doi'],
  ]) {
    const config = await enrolReceiver(tc.url, tc.token, id, hamlet, id);
    const state_dir = join(tc.dir, 'agents', id);
    const agent = new ReceiverAgent({
      config: { ...config, state_dir },
      store: new FileAgentStore(state_dir),
      player: new SilentPlayer(0.002),
      clock,
      logger: pino({ level: 'silent' }),
    });
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
    expect(res.body).toMatchObject({
      outcome: 'broadcast',
      priority: 'emergency',
      hamlets: ['thon-bien', 'thon-trung'],
      msg_type: 'Alert',
      duplicate: false,
    });
    alertBroadcast = res.body.broadcast_id;
    const broadcast = (await tc.api('GET', `/api/broadcasts/${alertBroadcast}`)).body;
    expect(broadcast).toMatchObject({
      source: 'cap',
      priority: 'emergency',
      drill: false,
      confirmed_by: 'cap:pctt@ninhbinh.example.vn',
    });
    await waitFor(
      () => played.get('rx-bien')?.includes(alertBroadcast) && played.get('rx-trung')?.includes(alertBroadcast),
      'both coastal hamlets to play',
      30_000,
    );
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
    expect(res.body).toMatchObject({
      msg_type: 'Update',
      outcome: 'broadcast',
      priority: 'emergency',
      hamlets: ['thon-bien', 'thon-trung'],
    });
    updateBroadcast = res.body.broadcast_id;
    expect((await tc.api('GET', `/api/broadcasts/${alertBroadcast}`)).body.stopped_at).not.toBeNull();
    expect((await alerts()).find((a) => a.identifier.endsWith('-001')).outcome).toBe('superseded');
  }, 60_000);

  it('follows the cancellation: stops what it references and announces the all-clear as a normal item', async () => {
    setTime('2026-09-18T09:05:00Z');
    const res = await post(sample('03-typhoon-cancel.xml'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      msg_type: 'Cancel',
      outcome: 'broadcast',
      priority: 'normal',
      hamlets: ['thon-bien', 'thon-trung'],
    });
    expect((await tc.api('GET', `/api/broadcasts/${updateBroadcast}`)).body.stopped_at).not.toBeNull();
    const list = await alerts();
    expect(list.find((a) => a.identifier.endsWith('-001')).outcome).toBe('cancelled');
    expect(list.find((a) => a.identifier.endsWith('-002')).outcome).toBe('cancelled');
  }, 60_000);
});

describe('alerts that must not play live', () => {
  const variant = (id: string, change: (xml: string) => string) =>
    change(sample('01-typhoon-alert.xml').replace('VN-NINHBINH-PCTT-2026-0917-001', id));

  it('plays an alert whose area misses the commune nowhere', async () => {
    setTime('2026-09-17T08:30:00Z');
    const far = variant('FAR-1', (x) =>
      x.replace(
        /<polygon>[^<]+<\/polygon>/,
        '<polygon>21.0,105.0 21.2,105.0 21.2,105.2 21.0,105.2 21.0,105.0</polygon>',
      ),
    );
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

  it("uses the alert's own audio when it carries some", async () => {
    const audio = readFileSync(makeTone(join(tc.dir, 'alert-audio.mp3'), 3, 1)).toString('base64');
    const withAudio = variant('AUDIO-1', (x) =>
      x.replace(
        '<area>',
        `<resource><resourceDesc>Bản tin</resourceDesc><mimeType>audio/mpeg</mimeType><derefUri>${audio}</derefUri></resource><area>`,
      ),
    );
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
    [
      'a wrong status',
      sample('01-typhoon-alert.xml').replace('<status>Actual</status>', '<status>Real</status>').replace('-001', '-X1'),
      400,
    ],
    ['no identifier', sample('01-typhoon-alert.xml').replace(/<identifier>[^<]+<\/identifier>/, ''), 400],
    ['an entity bomb', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx">]><alert>&x;</alert>', 400],
  ])('refuses %s with %d and says why', async (_what, xml, status) => {
    const res = await post(xml);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe('cap_invalid');
    expect(res.body.error.message).toMatch(/CAP/);
  });

  it('refuses a cancellation of alerts never received', async () => {
    const dangling = sample('03-typhoon-cancel.xml')
      .replace('-0918-003', '-0918-999')
      .replace(/VN-NINHBINH-PCTT-2026-0917-00[12]/g, 'NEVER-SEEN');
    const res = await post(dangling);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('cap_unknown_reference');
  });

  it('refuses an ingest from a token without the permission', async () => {
    const viewer = tc.controller.accounts.createToken(
      { name: 'v', role: 'viewer' },
      { id: 'test', permissions: new Set(PERMISSIONS) },
    ).token;
    expect((await post(sample('01-typhoon-alert.xml'), viewer)).status).toBe(403);
  });
});

describe('polling a feed', () => {
  it('ingests the alerts an Atom feed links to, once', async () => {
    const alert = sample('01-typhoon-alert.xml').replace('VN-NINHBINH-PCTT-2026-0917-001', 'FEED-1');
    const server = createServer((req, res) => {
      if (req.url === '/feed') {
        res.writeHead(200, { 'content-type': 'application/atom+xml' });
        return res.end(
          `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>PCTT</title><entry><title>Bão</title><link href="http://127.0.0.1:${(server.address() as any).port}/a1.xml"/></entry></feed>`,
        );
      }
      res.writeHead(200, { 'content-type': 'application/cap+xml' });
      res.end(alert);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const poller = new CapPoller(
        tc.controller.cap,
        `http://127.0.0.1:${(server.address() as any).port}/feed`,
        3600,
        pino({ level: 'silent' }),
      );
      expect(await poller.poll()).toBe(1);
      expect(await poller.poll()).toBe(0);
      expect((await alerts()).find((a) => a.identifier === 'FEED-1')).toMatchObject({
        via: 'feed',
        outcome: 'broadcast',
      });
    } finally {
      server.close();
    }
  }, 60_000);
});

describe('alerts as provinces really send them', () => {
  // 15:30 in Ninh Bình on the day of the samples.
  const at = () => setTime('2026-09-17T08:30:00Z');

  it('acts on the most severe Vietnamese block whose area matches, not the first one (several <info> blocks)', async () => {
    at();
    const res = await post(sample('04-two-blocks-flash-flood.xml'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'broadcast', priority: 'emergency', hamlets: ['thon-doi'] });
    const record = (await alerts()).find((a) => a.identifier === 'VN-NINHBINH-PCTT-2026-0917-010');
    expect(record).toMatchObject({
      event: 'Lũ quét',
      headline: 'Lũ quét đang xảy ra tại thôn Đồi',
      outcome: 'broadcast',
    });
    const broadcast = (await tc.api('GET', `/api/broadcasts/${res.body.broadcast_id}`)).body;
    expect((await tc.api('GET', `/api/media/${broadcast.media_id}`)).body.title).toBe('CAP: Lũ quét'); // the Vietnamese block, not the English one
    await waitFor(
      () => played.get('rx-doi')?.includes(res.body.broadcast_id),
      'the flash flood to play in Thôn Đồi',
      30_000,
    );
  }, 60_000);

  it('records an alert without <expires> sent months ago as stale and never plays it; a recent one still plays', async () => {
    at();
    const before = capBroadcasts().n;
    const res = await post(sample('05-no-expiry-months-old.xml'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'stale', broadcast_id: null });
    expect(res.body.message).toMatch(/không có thời hạn hiệu lực/);
    expect(capBroadcasts().n).toBe(before);
    expect(
      (await audit('cap.received')).some(
        (e) => e.subject.endsWith('-0512-004') && JSON.parse(e.detail).outcome === 'stale',
      ),
    ).toBe(true);
    const recent = sample('05-no-expiry-months-old.xml')
      .replace('-0512-004', '-0917-015')
      .replace('2026-05-12T09:00:00+07:00', '2026-09-17T13:30:00+07:00');
    expect((await post(recent)).body.outcome).toBe('broadcast');
  }, 60_000);

  it.each([
    ['CAP 1.1', '06-cap11-namespace.xml', 'urn:oasis:names:tc:emergency:cap:1.1'],
    ['no namespace', '07-no-namespace.xml', '—'],
  ])('refuses a document with %s (422 cap_wrong_namespace), records it and plays nothing', async (_what, file, ns) => {
    at();
    const before = capBroadcasts().n;
    const res = await post(sample(file));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('cap_wrong_namespace');
    expect(res.body.error.message).toMatch(/^Không nhận tài liệu này: chỉ nhận cảnh báo CAP 1\.2/);
    expect(res.body.error.message).toContain(ns);
    expect(capBroadcasts().n).toBe(before);
    const record = (await alerts()).find((a) => a.identifier === /<identifier>([^<]+)</.exec(sample(file))![1]);
    expect(record).toMatchObject({
      outcome: 'refused_namespace',
      broadcast_id: null,
      sender: 'pctt@ninhbinh.example.vn',
    });
    expect(
      (await audit('cap.refused')).some(
        (e) => e.subject === record.key && JSON.parse(e.detail).code === 'cap_wrong_namespace',
      ),
    ).toBe(true);
  });

  it('streams a resource with its size limit enforced while reading, and reads the text instead', async () => {
    at();
    let sent = 0;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 1);
    const { server, base } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'audio/mpeg' }); // no Content-Length: an answer without end
      const pump = () => {
        while (!closed && sent < 400 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
      };
      res.on('drain', pump);
      res.on('close', () => {
        closed = true;
      });
      pump();
    });
    try {
      const xml = sample('01-typhoon-alert.xml')
        .replace('VN-NINHBINH-PCTT-2026-0917-001', 'HUGE-AUDIO-1')
        .replace(
          '<area>',
          `<resource><resourceDesc>Bản tin</resourceDesc><mimeType>audio/mpeg</mimeType><uri>${base}/huge.mp3</uri></resource><area>`,
        );
      const res = await post(xml);
      expect(res.body.outcome).toBe('broadcast');
      await waitFor(() => closed, 'the download to be cut off', 10_000);
      expect(sent).toBeLessThan(20 * 1024 * 1024); // cut off near cap.max_audio_mb (1 MB), not read to its 400 MB
      const broadcast = (await tc.api('GET', `/api/broadcasts/${res.body.broadcast_id}`)).body;
      expect((await tc.api('GET', `/api/media/${broadcast.media_id}`)).body.duration_ms).toBeGreaterThan(20_000); // the text, read aloud
    } finally {
      server.close();
    }
  }, 60_000);

  it('records an alert over hamlets without receivers as no_receiver, fetching nothing', async () => {
    at();
    let fetched = 0;
    const { server, base } = await serve((_req, res) => {
      fetched++;
      res.writeHead(404);
      res.end();
    });
    try {
      const before = capBroadcasts().n;
      const res = await post(sample('10-no-receiver.xml').replace('AUDIO_URL', `${base}/flood.mp3`));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ outcome: 'no_receiver', hamlets: ['thon-moi'], broadcast_id: null });
      expect(res.body.message).toMatch(/chưa có cụm loa nào/);
      expect(fetched).toBe(0);
      expect(capBroadcasts().n).toBe(before);
      expect((await alerts()).find((a) => a.identifier === 'VN-NINHBINH-PCTT-2026-0917-014')).toMatchObject({
        outcome: 'no_receiver',
      });
      expect((await post(sample('10-no-receiver.xml').replace('AUDIO_URL', `${base}/flood.mp3`))).body.duplicate).toBe(
        true,
      );
    } finally {
      server.close();
    }
  });

  it('holds an alert with no Vietnamese block for a person and never reads it with the Vietnamese voice', async () => {
    at();
    const before = capBroadcasts().n;
    const media = ((await tc.api('GET', '/api/media')).body as any[]).length;
    const res = await post(sample('08-english-only.xml'));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ outcome: 'held_no_vietnamese', broadcast_id: null, hamlets: ['thon-doi'] });
    expect(res.body.message).toMatch(/không có phần tiếng Việt/);
    expect(capBroadcasts().n).toBe(before);
    expect(((await tc.api('GET', '/api/media')).body as any[]).length).toBe(media); // nothing synthesized
  });

  it("makes an alert from a sender not trusted wait for a person's confirmation on the urgent desk", async () => {
    at();
    const before = capBroadcasts().n;
    const res = await post(sample('09-unknown-sender.xml'));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      outcome: 'awaiting_confirmation',
      broadcast_id: null,
      priority: 'emergency',
      hamlets: ['thon-doi'],
    });
    expect(res.body.message).toMatch(/không nằm trong danh sách tin cậy/);
    expect(capBroadcasts().n).toBe(before); // nothing sent, no command published
    const pending = tc.controller.sendDesk.pendingConfirmation(res.body.confirmation_id)!;
    expect(pending.context).toMatchObject({
      source: 'cap',
      cap_key: 'canhbao@unknown.example.vn|CANHBAO-2026-0917-77',
    });
    expect((await alerts()).find((a) => a.identifier === 'CANHBAO-2026-0917-77')).toMatchObject({
      outcome: 'awaiting_confirmation',
      confirmation_id: res.body.confirmation_id,
    });

    const confirmed = await tc.api('POST', res.body.confirm_url, {});
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({ source: 'cap', priority: 'emergency', confirmed_by: 'token:test-admin' });
    expect((await alerts()).find((a) => a.identifier === 'CANHBAO-2026-0917-77')).toMatchObject({
      outcome: 'broadcast',
      broadcast_id: confirmed.body.id,
    });
    expect(capBroadcasts().n).toBe(before + 1);
    expect((await audit('cap.confirmed')).some((e) => e.subject === pending.context.cap_key)).toBe(true);
  }, 60_000);

  it('makes even a minor alert from a sender not trusted wait', async () => {
    at();
    const minor = sample('09-unknown-sender.xml')
      .replace('CANHBAO-2026-0917-77', 'CANHBAO-2026-0917-78')
      .replace('<severity>Extreme</severity>', '<severity>Minor</severity>')
      .replace('<urgency>Immediate</urgency>', '<urgency>Future</urgency>');
    const res = await post(minor);
    expect(res.body).toMatchObject({ outcome: 'awaiting_confirmation', priority: 'normal', broadcast_id: null });
    expect(res.body.confirmation_id).toEqual(expect.any(String));
  }, 60_000);

  it('records an alert sent in the future (a wrong clock or a forgery) and does not play it', async () => {
    at();
    const before = capBroadcasts().n;
    const future = sample('05-no-expiry-months-old.xml')
      .replace(/<identifier>[^<]*<\/identifier>/, '<identifier>FUTURE-2099</identifier>')
      .replace(/<sent>[^<]*<\/sent>/, '<sent>2099-01-01T00:00:00+07:00</sent>');
    const res = await post(future);
    expect(res.body).toMatchObject({ outcome: 'sent_in_future', broadcast_id: null });
    expect(res.body.message).toMatch(/muộn hơn giờ hiện tại/);
    expect(capBroadcasts().n).toBe(before);
  }, 60_000);

  it('records an alert nobody confirmed in time as expired, never left waiting', async () => {
    at();
    const late = sample('09-unknown-sender.xml').replace('CANHBAO-2026-0917-77', 'CANHBAO-2026-0917-79');
    const res = await post(late);
    expect(res.body.outcome).toBe('awaiting_confirmation');
    setTime('2026-09-17T08:33:00Z'); // three minutes on: the confirmation (120 s) has lapsed
    try {
      expect((await alerts()).find((a) => a.identifier === 'CANHBAO-2026-0917-79')).toMatchObject({
        outcome: 'confirmation_expired',
        hamlets: expect.arrayContaining([expect.any(String)]), // an array, as the POST answers it
      });
      expect((await tc.api('POST', res.body.confirm_url, {})).status).toBe(409); // lapsed, said so
      expect((await post(late)).body).toMatchObject({
        duplicate: true,
        outcome: 'confirmation_expired',
        confirm_url: null,
      });
      expect(
        (await audit('cap.confirmation_expired')).some(
          (e) => e.subject === 'canhbao@unknown.example.vn|CANHBAO-2026-0917-79',
        ),
      ).toBe(true);
    } finally {
      at();
    }
  }, 60_000);
});

describe('a feed with bad entries', () => {
  it('records a dead and a refused entry and still reads the entries after them, at every poll', async () => {
    setTime('2026-09-17T08:30:00Z');
    const good = sample('01-typhoon-alert.xml').replace('VN-NINHBINH-PCTT-2026-0917-001', 'FEED-AFTER-BAD');
    const refused = sample('06-cap11-namespace.xml').replace('-0917-011', '-0917-016');
    let port = 0;
    const { server, base } = await serve((req, res) => {
      if (req.url === '/feed') {
        res.writeHead(200, { 'content-type': 'application/atom+xml' });
        return res.end(
          `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>PCTT</title>${['dead', 'cap11', 'good'].map((n) => `<entry><title>${n}</title><link href="http://127.0.0.1:${port}/${n}.xml"/></entry>`).join('')}</feed>`,
        );
      }
      if (req.url === '/dead.xml') {
        res.writeHead(404);
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/cap+xml' });
      res.end(req.url === '/cap11.xml' ? refused : good);
    });
    port = Number(new URL(base).port);
    try {
      const poller = new CapPoller(tc.controller.cap, `${base}/feed`, 3600, pino({ level: 'silent' }));
      expect(await poller.poll()).toBe(1);
      const list = await alerts();
      expect(list.find((a) => a.identifier === 'FEED-AFTER-BAD')).toMatchObject({ via: 'feed', outcome: 'broadcast' });
      expect(list.find((a) => a.identifier === 'VN-NINHBINH-PCTT-2026-0917-016')).toMatchObject({
        via: 'feed',
        outcome: 'refused_namespace',
      });
      expect((await audit('cap.feed_entry_failed')).filter((e) => e.subject === `${base}/dead.xml`)).toHaveLength(1);
      expect(await poller.poll()).toBe(0); // nothing new; the dead entry is tried again, recorded once
      expect((await audit('cap.feed_entry_failed')).filter((e) => e.subject === `${base}/dead.xml`)).toHaveLength(1);
    } finally {
      server.close();
    }
  }, 60_000);
});

/**
 * Typed announcements become broadcast audio: normalised Vietnamese, the offline voice (real
 * espeak-ng), the chime, loudness like every upload; cloud voices through stand-ins that follow
 * each provider's documented API, with a fallback when the cloud fails; and the bulletin
 * workflow that only broadcasts what an approver approved.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobe from '@ffprobe-installer/ffprobe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../controller/accounts/permissions.js';
import { Fleet } from '../../firmware-bridge/simulator/fleet.js';
import { makeTone, uploadReadyTone } from '../helpers/audio.js';
import { startStandIn, STAND_IN_KEY, type StandIn } from '../helpers/cloud-tts-standins.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
const standIns: Record<string, StandIn> = {};
let operator: string;
let approver: string;

const duration = (file: string) =>
  Number(
    execFileSync(ffprobe.path, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString(),
  );
const loudness = (file: string) => {
  const { stderr } = spawnSync(ffmpegInstaller.path, [
    '-hide_banner',
    '-i',
    file,
    '-af',
    'loudnorm=print_format=summary',
    '-f',
    'null',
    '-',
  ]);
  return Number(/Input Integrated:\s+(-?[\d.]+)/.exec(stderr.toString())?.[1]);
};

/** Silences of 0.1 s or more inside the audio (not the lead-in or the tail), in seconds. */
const innerSilences = (file: string) => {
  const { stderr } = spawnSync(ffmpegInstaller.path, [
    '-hide_banner',
    '-i',
    file,
    '-af',
    'silencedetect=noise=-40dB:d=0.1',
    '-f',
    'null',
    '-',
  ]);
  const text = stderr.toString();
  const starts = [...text.matchAll(/silence_start: (-?[\d.]+)/g)].map((m) => Number(m[1]));
  const ends = [...text.matchAll(/silence_end: ([\d.]+) \| silence_duration: ([\d.]+)/g)].map((m) => ({
    end: Number(m[1]),
    length: Number(m[2]),
  }));
  const total = duration(file);
  return ends.filter((e, i) => starts[i] > 0.05 && e.end < total - 0.05).map((e) => e.length);
};

async function post(path: string, body: unknown, token = tc.token) {
  const res = await fetch(tc.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res;
}
async function preview(body: object, dir: string, name: string) {
  const res = await post('/api/tts/preview', body);
  const file = join(dir, name);
  if (res.ok) writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return { res, file, engine: res.headers.get('x-tts-engine'), mediaId: res.headers.get('x-media-id') };
}

beforeAll(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'tt-tts-'));
  const voiceMp3 = makeTone(join(dir, 'cloud-voice.mp3'), 2, 1);
  for (const p of ['fpt', 'viettel', 'zalo', 'vbee'] as const) standIns[p] = await startStandIn(p, voiceMp3);
  for (const p of ['FPT', 'VIETTEL', 'ZALO', 'VBEE']) process.env[`TT_${p}_API_KEY`] = STAND_IN_KEY;
  tc = await startTestController(
    {
      tts: {
        fpt: { base_url: standIns.fpt.url },
        viettel: { base_url: standIns.viettel.url },
        zalo: { base_url: standIns.zalo.url },
        vbee: { base_url: standIns.vbee.url, app_id: 'app-1' },
        timeout_s: 5,
        abbreviations: { HTX: 'hợp tác xã' },
      },
    } as any,
    { dir },
  );
  for (const p of ['FPT', 'VIETTEL', 'ZALO', 'VBEE']) delete process.env[`TT_${p}_API_KEY`];
  const mk = (role: 'operator' | 'approver') =>
    tc.controller.accounts.createToken({ name: role, role }, { id: 'test', permissions: new Set(PERMISSIONS) }).token;
  operator = mk('operator');
  approver = mk('approver');
});
afterAll(async () => {
  await tc?.close();
  await Promise.all(Object.values(standIns).map((s) => s.close()));
});

describe('normalisation endpoint', () => {
  it('shows what will be read, without a login', async () => {
    const res = await fetch(`${tc.url}/api/tts/normalize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'UBND xã họp lúc 7h30 ngày 15/12/2026.' }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).spoken).toBe(
      'ủy ban nhân dân xã họp lúc bảy giờ ba mươi phút ngày mười lăm tháng mười hai năm hai nghìn không trăm hai mươi sáu.',
    );
  });

  it("reads the commune's own abbreviations, and names the readings to check before it is spoken", async () => {
    const res = await fetch(`${tc.url}/api/tts/normalize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'HTX Đoài họp 8-10h; XQZV mời dự.' }),
    });
    const body = await res.json();
    expect(body.spoken).toBe('hợp tác xã đoài họp từ tám đến mười giờ; ích qui dét vê mời dự.');
    expect(body.uncertain).toEqual([
      {
        text: 'XQZV',
        reading: 'ích qui dét vê',
        why: 'unknown_capitals',
        message:
          '"XQZV" không có trong danh sách viết tắt: sẽ đọc từng chữ "ích qui dét vê". Hãy viết rõ hoặc thêm vào danh sách viết tắt của xã.',
        message_en: expect.stringContaining('not a known abbreviation'),
      },
    ]);
  });

  it.each([
    ['empty text', '', 422, 'tts_text_empty'],
    ['only punctuation', '   ...  ', 422, 'tts_text_empty'],
    ['Chinese characters', 'Thông báo 通知 khẩn', 422, 'tts_unsupported_characters'],
    ['6,000 characters', 'a'.repeat(6000), 413, 'tts_text_too_long'],
  ])('refuses %s with %d %s', async (_what, text, status, code) => {
    const res = await fetch(`${tc.url}/api/tts/normalize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(res.status).toBe(status);
    expect((await res.json()).error.code).toBe(code);
  });
});

describe('the offline voice', () => {
  it('turns a 2,000-character announcement into one normalised MP3 framed by chimes', async () => {
    const sentence =
      'Ủy ban nhân dân xã Xuân Hưng thông báo: từ 7h30 ngày 15/12/2026 sẽ tiêm phòng cho trẻ em tại trạm y tế xã, đề nghị bà con đưa trẻ đến đúng giờ. ';
    const text = sentence.repeat(Math.ceil(2000 / sentence.length)).slice(0, 2000);
    const { res, file, engine } = await preview({ text }, tc.dir, 'long.mp3');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('audio/mpeg');
    expect(engine).toBe('espeak');
    expect(duration(file)).toBeGreaterThan(60);
    expect(Math.abs(loudness(file) - -16)).toBeLessThan(1.5);
  }, 120_000);

  it('makes the same announcement once, and repeats it when asked ("xin nhắc lại")', async () => {
    const text = 'Thôn 3 mất điện từ 14h đến 16h.';
    const a = await preview({ text }, tc.dir, 'a.mp3');
    const b = await preview({ text }, tc.dir, 'b.mp3');
    expect(a.mediaId).toBe(b.mediaId);
    const twice = await preview({ text, repeat: 1 }, tc.dir, 'c.mp3');
    expect(twice.mediaId).not.toBe(a.mediaId);
    const noChime = await preview({ text, chime: false }, tc.dir, 'd.mp3');
    const chimes = duration(a.file) - duration(noChime.file);
    expect(chimes).toBeGreaterThan(1);
    // The repeat adds "xin nhắc lại" and the whole announcement again.
    expect(duration(twice.file) - duration(a.file)).toBeGreaterThan(duration(noChime.file) * 0.9);
  }, 60_000);

  it('speaks with each of the three Vietnamese voices and refuses an unknown one', async () => {
    for (const voice of ['vi', 'vi-vn-x-central', 'vi-vn-x-south'])
      expect((await preview({ text: 'Xin chào bà con', voice }, tc.dir, `${voice}.mp3`)).res.status).toBe(200);
    const bad = await post('/api/tts/preview', { text: 'Xin chào', voice: 'robot' });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.message).toContain('vi-vn-x-south');
  }, 60_000);
});

describe('cloud voices', () => {
  it.each(['fpt', 'viettel', 'zalo', 'vbee'])(
    'speaks through %s as its API documents',
    async (engine) => {
      const {
        res,
        engine: used,
        file,
      } = await preview({ text: `Bản tin thử qua ${engine}.`, engine }, tc.dir, `${engine}.mp3`);
      expect(res.status).toBe(200);
      expect(used).toBe(engine);
      expect(duration(file)).toBeGreaterThan(2);
      const request = standIns[engine].requests.find((r) => !r.path.startsWith('/files/'))!;
      expect(decodeURIComponent(request.body.replace(/\+/g, ' '))).toContain('bản tin thử qua');
    },
    30_000,
  );

  it('falls back to the offline voice when the cloud fails, and says so', async () => {
    standIns.fpt.failing = true;
    try {
      const { res, engine } = await preview(
        { text: 'Khi mất mạng vẫn phát được.', engine: 'fpt' },
        tc.dir,
        'fallback.mp3',
      );
      expect(res.status).toBe(200);
      expect(engine).toBe('espeak');
    } finally {
      standIns.fpt.failing = false;
    }
  }, 30_000);

  it('refuses an engine that has no key configured', async () => {
    const c = tc.controller.tts.engines;
    const saved = c.get('zalo')!;
    c.delete('zalo');
    try {
      const res = await post('/api/tts/preview', { text: 'Xin chào', engine: 'zalo' });
      expect(res.status).toBe(422);
      expect((await res.json()).error.code).toBe('tts_engine_unavailable');
    } finally {
      c.set('zalo', saved);
    }
  });
});

describe('announcement pacing (issue 24)', () => {
  /** The service reads these keys from the live settings on every render; a test may set them. */
  const ttsSettings = () => tc.controller.settings.tts as unknown as Record<string, unknown>;
  async function withSettings<T>(values: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(values).map((k) => [k, ttsSettings()[k]]));
    Object.assign(ttsSettings(), values);
    try {
      return await run();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete ttsSettings()[k];
        else ttsSettings()[k] = v;
      }
    }
  }

  it('leaves a clear pause between two sentences, and is longer than without the pauses but not absurdly so', async () => {
    const text = 'Thôn Đông mất điện từ 14h đến 16h. Đề nghị bà con chú ý an toàn.';
    const paced = await preview({ text, chime: false }, tc.dir, 'paced.mp3');
    const plain = await withSettings({ prosody: { enabled: false } }, () =>
      preview({ text, chime: false }, tc.dir, 'unpaced.mp3'),
    );
    expect(paced.res.status).toBe(200);
    expect(plain.mediaId).not.toBe(paced.mediaId);
    const gap = Math.max(0, ...innerSilences(paced.file));
    const plainGap = Math.max(0, ...innerSilences(plain.file));
    // The sentence pause is 800 ms; espeak-ng's own is about 450 ms, and not quite silent once
    // the speech is compressed and brought up to loudness (it may not register at all).
    expect(gap).toBeGreaterThan(0.7);
    expect(gap).toBeLessThan(1.2);
    expect(gap - plainGap).toBeGreaterThan(0.2);
    const [withPauses, without] = [duration(paced.file), duration(plain.file)];
    expect(withPauses - without).toBeGreaterThan(0.3);
    expect(withPauses / without).toBeLessThan(1.4);
  }, 60_000);

  it('speaks a voice at its own loudspeaker rate', async () => {
    const text = 'Bà con thôn Nam chú ý lắng nghe thông báo của xã.';
    const usual = await preview({ text, chime: false }, tc.dir, 'rate-usual.mp3');
    const slower = await withSettings({ rate_by_voice: { vi: 0.7 } }, () =>
      preview({ text, chime: false }, tc.dir, 'rate-slower.mp3'),
    );
    // 0.7 against the default 0.9: the speech is about 0.9 / 0.7 = 1.29 times as long.
    expect(duration(slower.file) / duration(usual.file)).toBeGreaterThan(1.15);
  }, 60_000);

  it.each([
    ['fpt', (r: { headers: Record<string, unknown> }) => r.headers.speed, '-1'],
    ['viettel', (r: { body: string }) => JSON.parse(r.body).speed, 0.9],
    ['zalo', (r: { body: string }) => new URLSearchParams(r.body).get('speed'), '0.9'],
    ['vbee', (r: { body: string }) => JSON.parse(r.body).speed_rate, '0.9'],
  ] as const)(
    'asks %s for the loudspeaker rate and sends the punctuation it pauses by',
    async (engine, speedOf, expected) => {
      const { res } = await preview(
        { text: `Thôn Đông, thôn Đoài: mất điện qua ${engine}. Xin cảm ơn!`, engine, chime: false },
        tc.dir,
        `${engine}-paced.mp3`,
      );
      expect(res.status).toBe(200);
      const request = standIns[engine].requests
        .filter((r) => !r.path.startsWith('/files/') && !r.path.startsWith('/api/v1/tts/'))
        .at(-1)!;
      expect(speedOf(request as never)).toBe(expected);
      expect(decodeURIComponent(request.body.replace(/\+/g, ' '))).toContain(
        `thôn đông, thôn đoài: mất điện qua ${engine}. xin cảm ơn!`,
      );
    },
    30_000,
  );
});

describe('the bulletin workflow', () => {
  it('broadcasts only what an approver approved, with the audio that was approved', async () => {
    const fleet = new Fleet({
      controllerUrl: tc.url,
      token: tc.token,
      hamlets: ['thon-1'],
      perHamlet: 1,
      stateDir: join(tc.dir, 'agents'),
      store: 'file',
      speed: 0.01,
    });
    await fleet.start();
    try {
      const created = await post(
        '/api/bulletins',
        {
          title: 'Lịch tiêm phòng',
          category: 'health',
          text: 'Sáng thứ 2, trạm y tế xã tiêm phòng cho trẻ dưới 5 tuổi.',
        },
        operator,
      );
      expect(created.status).toBe(201);
      const b = await created.json();
      const target = { target: { hamlet_ids: ['thon-1'] } };
      expect((await post(`/api/bulletins/${b.id}/broadcast`, target, operator)).status).toBe(409);
      const draftAudio = await fetch(`${tc.url}/api/bulletins/${b.id}/audio`, {
        headers: { authorization: `Bearer ${operator}` },
      });
      expect(draftAudio.status).toBe(200);
      expect((await post(`/api/bulletins/${b.id}/submit`, {}, operator)).status).toBe(200);
      expect((await post(`/api/bulletins/${b.id}/approve`, {}, operator)).status).toBe(403);
      const rejected = await (
        await post(`/api/bulletins/${b.id}/reject`, { reason: 'Ghi rõ địa điểm' }, approver)
      ).json();
      expect(rejected).toMatchObject({ status: 'rejected', reject_reason: 'Ghi rõ địa điểm' });
      const edited = await (
        await fetch(`${tc.url}/api/bulletins/${b.id}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            text: 'Sáng thứ 2, trạm y tế xã tiêm phòng cho trẻ dưới 5 tuổi tại hội trường thôn 1.',
          }),
        })
      ).json();
      expect(edited.status).toBe('draft');
      await post(`/api/bulletins/${b.id}/submit`, {}, operator);
      const approved = await (await post(`/api/bulletins/${b.id}/approve`, {}, approver)).json();
      expect(approved.status).toBe('approved');
      expect(approved.media_id).toMatch(/^[0-9a-f-]{36}$/);
      // Frozen once approved.
      expect(
        (
          await fetch(`${tc.url}/api/bulletins/${b.id}`, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
            body: '{"title":"x"}',
          })
        ).status,
      ).toBe(409);
      const sent = await post(`/api/bulletins/${b.id}/broadcast`, target, operator);
      expect(sent.status).toBe(201);
      const { broadcast_id } = await sent.json();
      const broadcast = (await tc.api('GET', `/api/broadcasts/${broadcast_id}`)).body;
      expect(broadcast.media_id).toBe(approved.media_id);
      expect(broadcast.source).toBe('bulletin');
      await waitFor(
        async () => (await tc.api('GET', `/api/broadcasts/${broadcast_id}/coverage`)).body.totals.finished === 1,
        'the bulletin to play',
      );
      const log = (await tc.api('GET', '/api/audit?limit=1000')).body as any[];
      expect(log.map((e) => e.action)).toEqual(
        expect.arrayContaining([
          'bulletin.created',
          'bulletin.submitted',
          'bulletin.rejected',
          'bulletin.approved',
          'bulletin.broadcast',
        ]),
      );
    } finally {
      await fleet.stop();
    }
  }, 60_000);

  it('uses an attached recording (an ethnic-minority language) in place of synthesis', async () => {
    const recording = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    const b = await (
      await post(
        '/api/bulletins',
        { title: 'Thông báo tiếng Mông', category: 'commune_notice', recorded_media_id: recording.id },
        operator,
      )
    ).json();
    await post(`/api/bulletins/${b.id}/submit`, {}, operator);
    const approved = await (await post(`/api/bulletins/${b.id}/approve`, {}, approver)).json();
    expect(approved.media_id).toBe(recording.id);
  });

  it('refuses a bulletin with neither text nor recording', async () => {
    const res = await post('/api/bulletins', { title: 'Trống', category: 'other' }, operator);
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('bulletin_needs_content');
  });
});

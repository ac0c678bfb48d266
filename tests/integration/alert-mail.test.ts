/**
 * Alert e-mails through a real SMTP conversation (a local stand-in server): one message when an
 * alert opens and one when it resolves, however many times the rule is checked.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { freePort } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
let tc: TestController;
const mails: { from: string; to: string[]; data: string }[] = [];
let smtp: SMTPServer;

beforeAll(async () => {
  const port = await freePort();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (c) => (data += c));
      stream.on('end', () => {
        mails.push({
          from: String(session.envelope.mailFrom && session.envelope.mailFrom.address),
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(port, '127.0.0.1', () => r()));
  tc = await startTestController(
    {
      health: {
        smtp: { host: '127.0.0.1', port, secure: false, from: 'loa@xa.example.vn', to: ['kythuat@xa.example.vn'] },
      },
    } as any,
    { overrides: { clock } },
  );
});
afterAll(async () => {
  await tc?.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

const status = (state: string, session: number) =>
  Buffer.from(
    JSON.stringify({
      v: 1,
      receiver_id: 'rx-mail',
      state,
      session,
      at: clock.now().toISOString(),
      agent_version: '0.1.0',
    }),
  );

describe('alert e-mails', () => {
  it('are sent once when an alert opens and once when it resolves', async () => {
    const h = tc.controller.receiverHealth;
    await tc.api('POST', '/api/receivers', { id: 'rx-mail', hamlet_id: 'thon-1', name: 'Cụm loa bến sông' });
    // Connected once, then gone: offline (one never connected is not, and raises no mail here).
    const p = tc.controller.presence;
    p.handleStatus('rx-mail', status('online', 1));
    p.handleStatus('rx-mail', status('offline', 1));
    p.flush();
    offset += 11 * 60_000;
    for (let i = 0; i < 5; i++) h.checkOffline(); // checked again and again: still one alert, one mail
    await waitFor(() => mails.length >= 1, 'the alert e-mail');
    await new Promise((r) => setTimeout(r, 500));
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(['kythuat@xa.example.vn']);
    const opened = await simpleParser(mails[0].data);
    expect(opened.subject).toBe(
      '[Xã Thử Nghiệm] Cảnh báo cụm loa rx-mail: Mất kết nối / [Xã Thử Nghiệm] Receiver rx-mail alert: Offline',
    );
    expect(opened.text).toContain('Cụm loa rx-mail có cảnh báo "Mất kết nối"');

    // It comes back: one more mail, and only one.
    p.handleStatus('rx-mail', status('online', 2));
    p.flush();
    for (let i = 0; i < 3; i++) h.checkOffline();
    await waitFor(() => mails.length >= 2, 'the recovery e-mail');
    await new Promise((r) => setTimeout(r, 500));
    expect(mails).toHaveLength(2);
    expect((await simpleParser(mails[1].data)).subject).toContain('Đã hết cảnh báo cụm loa rx-mail');
  });
});

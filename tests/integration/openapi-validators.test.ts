/**
 * The API's OpenAPI document as the tools people use read it: the real `redocly lint` CLI with
 * its recommended rules (redocly.yaml at the repository root), and swagger-parser's validator.
 * And what an integrator reading it in Swagger UI needs: every body declared (uploads, raw
 * audio), examples on the operations people call first (checked against their schemas), each
 * answer described, the headers clients rely on, no body on a 204, no text lost as an HTML tag.
 * And /docs, the page that shows it, works when opened over plain HTTP by a LAN name: no
 * upgrade-insecure-requests or HSTS sending the browser to an HTTPS that is not there.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_EXAMPLES, STATUS_DESCRIPTIONS } from '../../controller/http/openapi.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

const run = promisify(execFile);
let tc: TestController;
let doc: any;
const dir = mkdtempSync(join(tmpdir(), 'tt-openapi-'));
const file = join(dir, 'openapi.json');

beforeAll(async () => {
  tc = await startTestController();
  const res = await fetch(`${tc.url}/docs/json`);
  expect(res.status).toBe(200);
  doc = await res.json();
  writeFileSync(file, JSON.stringify(doc, null, 2));
});
afterAll(async () => {
  await tc?.close();
  rmSync(dir, { recursive: true, force: true });
});

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

/** GET over plain HTTP to 127.0.0.1 under another Host name, as a browser on the commune's LAN asks. */
function getAs(
  host: string,
  path: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = new URL(tc.url);
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { host: `${host}:${port}` } }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (chunk) => (body += chunk))
        .on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the OpenAPI document', () => {
  it('passes redocly lint with the recommended rules and no errors', async () => {
    const cli = join(process.cwd(), 'node_modules', '.bin', 'redocly');
    // Redocly's telemetry and update check would reach out to the internet: off.
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    const out = await run(
      cli,
      ['lint', file, '--config', join(process.cwd(), 'redocly.yaml'), '--format', 'json', '--max-problems', '10000'],
      { env, maxBuffer: 64 * 1024 * 1024 },
    ).catch((err: { stdout: string }) => ({ stdout: err.stdout })); // exits 1 when it finds errors: the report says which
    const report = JSON.parse(out.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    const byRule = (severity: string) =>
      Object.entries(
        report.problems
          .filter((p) => p.severity === severity)
          .reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.ruleId]: (acc[p.ruleId] ?? 0) + 1 }), {}),
      );
    console.log(`redocly lint: ${report.totals.errors} errors, ${report.totals.warnings} warnings`, byRule('warn'));
    expect(
      report.problems
        .filter((p) => p.severity === 'error')
        .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`),
    ).toEqual([]);
    expect(report.totals.errors).toBe(0);
    // A warning in the recommended rules, but an example that contradicts its schema misleads.
    expect(
      report.problems
        .filter((p) => p.ruleId === 'no-invalid-media-type-examples')
        .map((p) => `${p.message} at ${p.location[0]?.pointer}`),
    ).toEqual([]);
  });

  it('is a valid OpenAPI document to swagger-parser', async () => {
    const api = await SwaggerParser.validate(file);
    expect(api.info.title).toContain('Truyền thanh');
  });

  it('names every operation with a unique id and describes every tag', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/media/{id}/audio'].get.operationId).toBe('getMediaByIdAudio');
    expect(doc.tags.length).toBeGreaterThan(5);
    expect(doc.tags.every((t: { description?: string }) => t.description && t.description.length > 10)).toBe(true);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it("gives every operation a success answer with a schema and an error answer in the API's error shape", () => {
    for (const { path, method, op } of operations()) {
      const codes = Object.keys(op.responses);
      const success = codes.filter((c) => c.startsWith('2') && c !== '204');
      expect(
        codes.some((c) => c.startsWith('2')),
        `${method} ${path}`,
      ).toBe(true);
      for (const code of success)
        expect(
          Object.values(op.responses[code].content ?? {}).every((m: any) => m.schema),
          `${method} ${path} ${code}`,
        ).toBe(true);
      expect(
        success.every((c) => Object.keys(op.responses[c].content ?? {}).length > 0),
        `${method} ${path}`,
      ).toBe(true);
    }
    const broadcasts = doc.paths['/api/hamlets'].get;
    expect(broadcasts.responses['401'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
    expect(doc.components.schemas.Error.properties.error.required).toEqual(
      expect.arrayContaining(['code', 'message', 'message_en']),
    );
  });

  it('declares what is not JSON with its own media type', () => {
    const mediaOf = (path: string, method = 'get', code = '200') =>
      Object.keys(doc.paths[path][method].responses[code].content);
    expect(mediaOf('/public/feed.xml')).toEqual(['application/rss+xml']);
    expect(mediaOf('/public')).toEqual(['text/html']);
    expect(mediaOf('/api/media/{id}/audio')).toEqual(['audio/mpeg']);
    expect(mediaOf('/api/reports/period')).toEqual(
      expect.arrayContaining([
        'application/json',
        'text/csv',
        'application/pdf',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ]),
    );
    expect(mediaOf('/api/playlists/{id}/m3u')).toEqual(expect.arrayContaining(['audio/x-mpegurl']));
    expect(mediaOf('/api/audit/export')).toEqual(expect.arrayContaining(['text/csv']));
    expect(doc.paths['/public/'], 'no path with a trailing slash').toBeUndefined();
  });

  it('declares the bodies fastify does not parse as JSON: uploads, the CAP alert, live audio', () => {
    for (const path of ['/api/media', '/api/playlists/import/file', '/api/agent-updates']) {
      const upload = doc.paths[path].post.requestBody?.content['multipart/form-data']?.schema;
      expect(upload?.properties.file, path).toMatchObject({ type: 'string', format: 'binary' });
      expect(upload.required, path).toContain('file');
    }
    expect(
      doc.paths['/api/playlists/import/file'].post.requestBody.content['multipart/form-data'].schema.properties,
    ).toHaveProperty('name');
    expect(Object.keys(doc.paths['/api/cap/alerts'].post.requestBody.content)).toEqual([
      'application/cap+xml',
      'application/xml',
      'text/xml',
    ]);
    for (const path of ['/api/live/{id}/audio', '/api/live/{id}/chunks/{seq}']) {
      const content = doc.paths[path].post.requestBody?.content ?? {};
      expect(Object.keys(content), path).toEqual(expect.arrayContaining(['audio/webm', 'audio/ogg', 'audio/mpeg']));
      for (const media of Object.values(content) as any[])
        expect(media.schema, path).toMatchObject({ type: 'string', format: 'binary' });
    }
  });

  it('carries examples on the operations people call first, each where its table puts it', () => {
    const withExamples = operations().filter(({ op }) => JSON.stringify(op).includes('"example"'));
    expect(withExamples.length).toBeGreaterThanOrEqual(30);
    const byId = new Map(operations().map(({ op }) => [op.operationId, op]));
    const jsonOf = (content: Record<string, any>) => content['application/json'] ?? Object.values(content)[0];
    for (const [id, examples] of Object.entries(OPERATION_EXAMPLES)) {
      const op = byId.get(id);
      expect(op, `${id}: no such operation`).toBeDefined();
      if (examples.request !== undefined) expect(jsonOf(op.requestBody.content).example, id).toEqual(examples.request);
      for (const [code, example] of Object.entries(examples.responses ?? {}))
        expect(jsonOf(op.responses[code].content).example, `${id} ${code}`).toEqual(example);
    }
    for (const id of [
      'postAuthLogin',
      'postBroadcasts',
      'postSchedules',
      'postPlaylists',
      'postBulletins',
      'postWebhooks',
    ])
      expect(byId.get(id).requestBody.content['application/json'].example, id).toBeDefined();
    expect(JSON.stringify(OPERATION_EXAMPLES)).toContain('Thôn Đông');
  });

  it('describes every answer: no "Default Response", the error statuses in words', () => {
    for (const { path, method, op } of operations())
      for (const [code, response] of Object.entries(op.responses as Record<string, any>)) {
        expect(response.description, `${method} ${path} ${code}`).not.toBe('Default Response');
        expect(response.description.length, `${method} ${path} ${code}`).toBeGreaterThan(1);
        if (code.startsWith('4') || code.startsWith('5'))
          expect(response.description, `${method} ${path} ${code}`).toBe(STATUS_DESCRIPTIONS[code]);
      }
    expect(doc.paths['/api/hamlets'].get.responses['401'].description).toMatch(/^Not signed in/);
    expect(doc.paths['/api/broadcasts'].post.responses['422'].description).toMatch(/^Not acceptable/);
  });

  it('gives a 204 no body at all', () => {
    const noContent = operations().filter(({ op }) => op.responses['204']);
    expect(noContent.length).toBeGreaterThan(5);
    for (const { path, method, op } of noContent)
      expect(op.responses['204'].content, `${method} ${path}`).toBeUndefined();
  });

  it('documents the response headers clients rely on, and the answers carry them', async () => {
    const headersOf = (path: string, code: string, method = 'get') =>
      Object.keys(doc.paths[path][method].responses[code].headers ?? {});
    expect(headersOf('/api/reports/period', '200')).toEqual(
      expect.arrayContaining(['Content-Disposition', 'X-Report-Sha256', 'X-Report-Signature', 'X-Report-Key-Id']),
    );
    expect(headersOf('/api/audit/export', '200')).toEqual(['Content-Disposition', 'X-Audit-Head']);
    expect(headersOf('/api/playlists/{id}/m3u', '200')).toEqual(['Content-Disposition']);
    expect(headersOf('/api/media/{id}/audio', '200')).toEqual(
      expect.arrayContaining(['ETag', 'Last-Modified', 'Accept-Ranges', 'X-Content-SHA256']),
    );
    expect(headersOf('/api/media/{id}/audio', '206')).toContain('Content-Range');
    // Every audio route that answers a Range request says so (outsider: two declared only 200).
    for (const path of [
      '/public/audio/{file}',
      '/api/bulletins/{id}/audio',
      '/public/media/{expires}/{signature}/{file}',
    ])
      expect(headersOf(path, '206'), path).toContain('Content-Range');
    expect(headersOf('/api/auth/login', '429', 'post')).toEqual(
      expect.arrayContaining(['Retry-After', 'X-RateLimit-Limit']),
    );
    expect(headersOf('/api/tts/normalize', '429', 'post')).toContain('Retry-After');
    // Webhook deliveries are requests the controller makes: their signed headers are told where one is added.
    for (const header of ['X-TT-Event', 'X-TT-Delivery', 'X-TT-Timestamp', 'X-TT-Signature'])
      expect(doc.paths['/api/webhooks'].post.description).toContain(header);
    // What is documented is what is sent: a signed CSV report and the audit export.
    const documented = (path: string) => headersOf(path, '200').map((h) => h.toLowerCase());
    for (const [path, url] of [
      ['/api/reports/period', '/api/reports/period?kind=month&format=csv'],
      ['/api/audit/export', '/api/audit/export?format=csv'],
    ] as const) {
      const res = await tc.api('GET', url);
      expect(res.status, url).toBe(200);
      const sent = [...res.headers.keys()].filter((h) => h === 'content-disposition' || /^x-(report|audit)-/.test(h));
      expect(sent.length, url).toBeGreaterThan(1);
      expect(documented(path), url).toEqual(expect.arrayContaining(sent));
    }
  });

  it('has no text Swagger UI would swallow as an HTML tag (a bare `<token>`)', () => {
    const bare: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${at}/${i}`));
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        // Markdown code spans show their text as it is; outside them, <word> is taken for a tag.
        if ((key === 'description' || key === 'summary') && typeof value === 'string')
          if (/<[A-Za-z/!]/.test(value.replace(/`[^`]*`/g, ''))) bare.push(`${at}/${key}: ${value}`);
        if (key !== 'example') walk(value, `${at}/${key}`);
      }
    };
    walk(doc, '');
    expect(bare).toEqual([]);
    expect(doc.info.description).toContain('`Authorization: Bearer <token>`');
  });
});

describe('/docs over plain HTTP on the commune LAN', () => {
  it('sends no header that would send the browser to HTTPS, keeps its CSP, and its assets load', async () => {
    for (const host of ['truyenthanh.lan', '127.0.0.1']) {
      const page = await getAs(host, '/docs/');
      expect(page.status).toBe(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(page.headers['strict-transport-security']).toBeUndefined();
      const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map(
        (m) => new URL(m[1]!, `http://${host}/docs/`).pathname,
      );
      expect(assets.length).toBeGreaterThan(2);
      for (const asset of assets) {
        const res = await getAs(host, asset);
        expect(res.status, asset).toBe(200);
        expect(String(res.headers['content-security-policy'] ?? '')).not.toContain('upgrade-insecure-requests');
      }
    }
  });
});

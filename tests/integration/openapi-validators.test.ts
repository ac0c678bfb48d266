/**
 * The API's OpenAPI document as the tools people use read it: the real `redocly lint` CLI with
 * its recommended rules (redocly.yaml at the repository root), and swagger-parser's validator.
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
    expect(mediaOf('/api/playlists/{id}/m3u')).toEqual(['audio/x-mpegurl']);
    expect(mediaOf('/api/audit/export')).toEqual(expect.arrayContaining(['text/csv']));
    expect(doc.paths['/public/'], 'no path with a trailing slash').toBeUndefined();
  });

  it('declares the bodies fastify does not parse as JSON: the audio upload and the CAP alert', () => {
    const upload = doc.paths['/api/media'].post.requestBody.content['multipart/form-data'].schema;
    expect(upload.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(Object.keys(doc.paths['/api/cap/alerts'].post.requestBody.content)).toEqual([
      'application/cap+xml',
      'application/xml',
      'text/xml',
    ]);
  });

  it('carries examples', () => {
    const examples = JSON.stringify(doc).match(/"example"/g) ?? [];
    expect(examples.length).toBeGreaterThan(3);
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

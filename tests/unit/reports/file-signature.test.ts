import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandSigner } from '../../../controller/protocol/signing.js';
import {
  PDF_SIGNATURE_PLACEHOLDER,
  signCsv,
  signPdf,
  signZip,
  verifySignedFile,
} from '../../../controller/reports/file-signature.js';

const ROOT = join(import.meta.dirname, '../../..');
const FONT = join(
  dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
  'DejaVuSans.ttf',
);
const TEXT = 'Báo cáo phát thanh tháng 11 — Xã Thử Nghiệm';

/** A PDF made as report-exports.ts makes one, with the signature placeholder in its Info dictionary. */
async function makePdf(placeholder = true): Promise<Buffer> {
  // A subject that looks like the signature's entry must not be taken for it.
  const info = {
    Title: 'Báo cáo — tháng 11',
    Author: 'Xã Thử Nghiệm',
    Subject: '\n/TTSignature 3 0 R\n (x)',
    ...(placeholder ? { TTSignature: PDF_SIGNATURE_PLACEHOLDER } : {}),
  };
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: info as PDFKit.DocumentInfo });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('body', FONT);
  doc.font('body').fontSize(12).text(TEXT);
  doc.end();
  return done;
}

async function makeXlsx(broadcasts = 42): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Tổng hợp').addRows([
    ['Hạng mục', 'Giá trị'],
    ['Số buổi phát', broadcasts],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function makeDocx(): Promise<Buffer> {
  const doc = new Document({
    sections: [{ children: [new Paragraph({ children: [new TextRun('Biên bản phát thanh tháng 11')] })] }],
  });
  return Packer.toBuffer(doc);
}

const flipped = (file: Buffer, at: number) => {
  const copy = Buffer.from(file);
  copy[at] ^= 0x01;
  return copy;
};

describe('report files that carry their own signature', () => {
  const { signer } = CommandSigner.generate();
  const other = CommandSigner.generate().signer;
  const keys = [signer.publicKeyPem];
  let pdf: Buffer;
  let signedPdf: Buffer;
  let xlsx: Buffer;
  let signedXlsx: Buffer;
  let signedDocx: Buffer;

  beforeAll(async () => {
    pdf = await makePdf();
    signedPdf = signPdf(pdf, signer);
    xlsx = await makeXlsx();
    signedXlsx = signZip(xlsx, signer);
    signedDocx = signZip(await makeDocx(), signer);
  });

  it('verifies a signed PDF, XLSX and DOCX with the published key, from the file alone', () => {
    expect(verifySignedFile(signedPdf, keys)).toMatchObject({ ok: true, format: 'pdf', key_id: signer.keyId });
    expect(verifySignedFile(signedXlsx, keys)).toMatchObject({ ok: true, format: 'zip', key_id: signer.keyId });
    expect(verifySignedFile(signedDocx, new Map([[signer.keyId, signer.publicKeyPem]]))).toMatchObject({
      ok: true,
      format: 'zip',
      key_id: signer.keyId,
    });
  });

  it('signs the sha256 of the file as it was made, the scheme of the X-Report-Signature header', () => {
    const check = verifySignedFile(signedPdf, keys);
    expect(check.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(signedPdf.length).toBe(pdf.length);
    expect(signedPdf.toString('latin1')).toContain(`(${signer.keyId}:`);
    expect(verifySignedFile(signedXlsx, keys).sha256).not.toBe(check.sha256);
  });

  it('leaves the PDF readable: its text intact and the signature in its document information', async () => {
    const parser = new PDFParse({ data: new Uint8Array(signedPdf) });
    try {
      expect((await parser.getText()).text).toContain(TEXT);
      const info = (await parser.getInfo()).info as Record<string, unknown>;
      expect(info.Title).toBe('Báo cáo — tháng 11');
      expect(JSON.stringify(info)).toContain(signer.keyId);
    } finally {
      await parser.destroy();
    }
  });

  it('leaves the XLSX readable by exceljs, with the signature in the ZIP comment', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(signedXlsx as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Tổng hợp')?.getRow(2).values).toEqual([undefined, 'Số buổi phát', 42]);
    expect(signedXlsx.subarray(xlsx.length).toString('latin1')).toMatch(
      new RegExp(`^TT-SIGNATURE ${signer.keyId}:[A-Za-z0-9+/]+=*$`),
    );
  });

  it('fails when any one byte is changed: at the start, in the middle, at the end, inside the signature', () => {
    const pdfSignatureAt = signedPdf.indexOf(`(${signer.keyId}:`) + 30;
    const cases: [string, Buffer, number][] = [
      ['pdf', signedPdf, 0],
      ['pdf', signedPdf, 9],
      ['pdf', signedPdf, signedPdf.length >> 1],
      ['pdf', signedPdf, signedPdf.length - 1],
      ['pdf', signedPdf, pdfSignatureAt],
      ['pdf', signedPdf, pdfSignatureAt + 100], // the padding after the signature
      ['xlsx', signedXlsx, 0],
      ['xlsx', signedXlsx, 9],
      ['xlsx', signedXlsx, signedXlsx.length >> 1],
      ['xlsx', signedXlsx, signedXlsx.length - 1],
      ['xlsx', signedXlsx, xlsx.length - 2], // the comment's length
      ['xlsx', signedXlsx, xlsx.length + 20], // inside the key id
      ['docx', signedDocx, 40],
      ['docx', signedDocx, signedDocx.length >> 1],
      ['docx', signedDocx, signedDocx.length - 10],
    ];
    for (const [kind, file, at] of cases) {
      const check = verifySignedFile(flipped(file, at), keys);
      expect(check.ok, `${kind} byte ${at} of ${file.length}`).toBe(false);
      if (at > 4) expect(check.problem, `${kind} byte ${at}`).toMatch(/^(bad_signature|unknown_key)$/);
    }
  });

  it("refuses another spelling of the same signature: base64's spare bits, other padding", () => {
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    // 64 bytes end in a group `Xy==` whose `y` carries 4 bits that decoding ignores.
    const respell = (file: Buffer, at: number) => {
      const copy = Buffer.from(file);
      copy[at] = B64.charCodeAt(B64.indexOf(String.fromCharCode(copy[at])) ^ 1);
      return copy;
    };
    const pdfAt = signedPdf.indexOf(`(${signer.keyId}:`) + 1 + signer.keyId.length + 1;
    expect(Buffer.from(respell(signedPdf, pdfAt + 85).toString('latin1', pdfAt, pdfAt + 88), 'base64')).toEqual(
      Buffer.from(signedPdf.toString('latin1', pdfAt, pdfAt + 88), 'base64'),
    );
    expect(verifySignedFile(respell(signedPdf, pdfAt + 85), keys)).toMatchObject({
      ok: false,
      problem: 'bad_signature',
    });
    expect(verifySignedFile(respell(signedXlsx, signedXlsx.length - 3), keys)).toMatchObject({
      ok: false,
      problem: 'bad_signature',
    });
    const tab = Buffer.from(signedPdf);
    tab[pdfAt + 100] = 0x09;
    expect(verifySignedFile(tab, keys)).toMatchObject({ ok: false, problem: 'bad_signature' });
  });

  it('fails when bytes are added, or a signature is copied onto another file', async () => {
    expect(verifySignedFile(Buffer.concat([signedPdf, Buffer.from('\n')]), keys).ok).toBe(false);
    expect(verifySignedFile(Buffer.concat([signedXlsx, Buffer.from(' ')]), keys).ok).toBe(false);
    const another = await makeXlsx(43);
    const comment = signedXlsx.subarray(xlsx.length);
    const copied = Buffer.concat([another, comment]);
    copied.writeUInt16LE(comment.length, another.length - 2);
    expect(verifySignedFile(copied, keys)).toMatchObject({ ok: false, key_id: signer.keyId, problem: 'bad_signature' });
  });

  it('says a file with no signature is unsigned: a PDF never signed, an XLSX without a comment, a CSV', async () => {
    expect(verifySignedFile(pdf, keys)).toMatchObject({ ok: false, format: 'pdf', problem: 'unsigned' });
    expect(verifySignedFile(await makePdf(false), keys)).toMatchObject({
      ok: false,
      format: 'pdf',
      problem: 'unsigned',
    });
    expect(verifySignedFile(xlsx, keys)).toMatchObject({ ok: false, format: 'zip', problem: 'unsigned' });
    expect(verifySignedFile(Buffer.from('broadcast_id,outcome\n1,finished\n'), keys)).toMatchObject({
      ok: false,
      format: null,
      problem: 'unsigned',
    });
    expect(verifySignedFile(Buffer.alloc(0), keys)).toMatchObject({ ok: false, problem: 'unsigned' });
  });

  it('signs the as-run CSV for people in a last row, label included; any change, or a row added after it, fails', () => {
    const csv = '\uFEFF"Giờ phát","Kết quả"\r\n"07:00 01/12/2026","phát xong"\r\n';
    const signed = signCsv(csv, 'Chữ ký số', signer);
    expect(signed.toString('utf8')).toMatch(/^\uFEFF"Giờ phát".*\r\n"Chữ ký số",TT-SIGNATURE [0-9a-f]{16}:\S+\r\n$/s);
    expect(verifySignedFile(signed, keys)).toMatchObject({ ok: true, format: 'csv', key_id: signer.keyId });
    const swap = (from: string, to: string) => Buffer.from(signed.toString('utf8').replace(from, to), 'utf8');
    expect(verifySignedFile(swap('phát xong', 'không phát'), keys)).toMatchObject({
      ok: false,
      problem: 'bad_signature',
    });
    expect(verifySignedFile(swap('Chữ ký số', 'Chữ ký'), keys)).toMatchObject({ ok: false, problem: 'bad_signature' });
    // A row added after the signature: the file no longer ends with it.
    const grown = Buffer.concat([signed, Buffer.from('"08:00","phát xong"\r\n')]);
    expect(verifySignedFile(grown, keys)).toMatchObject({ ok: false, problem: 'unsigned' });
    expect(verifySignedFile(signCsv(csv, 'Chữ ký số', other), keys)).toMatchObject({
      ok: false,
      problem: 'unknown_key',
    });
    expect(() => signCsv('"a"\n', 'x', signer)).toThrow(/CRLF/);
  });

  it("refuses a file signed with another key, and one whose key id was changed to the commune's", () => {
    const forged = signPdf(pdf, other);
    expect(verifySignedFile(forged, keys)).toMatchObject({ ok: false, key_id: other.keyId, problem: 'unknown_key' });
    expect(verifySignedFile(signZip(xlsx, other), keys)).toMatchObject({ ok: false, problem: 'unknown_key' });
    const relabelled = Buffer.from(
      forged.toString('latin1').replace(`(${other.keyId}:`, `(${signer.keyId}:`),
      'latin1',
    );
    expect(verifySignedFile(relabelled, keys)).toMatchObject({
      ok: false,
      key_id: signer.keyId,
      problem: 'bad_signature',
    });
  });

  it('refuses to sign a PDF without exactly one placeholder, or a ZIP that already has a comment', async () => {
    const plain = await makePdf(false);
    expect(() => signPdf(plain, signer)).toThrow(/placeholder/);
    expect(() => signPdf(signedPdf, signer)).toThrow(/placeholder/);
    expect(() => signZip(signedXlsx, signer)).toThrow(/comment/);
    expect(() => signZip(Buffer.from('not a zip at all, just some text'), signer)).toThrow(/ZIP/);
  });
});

describe('npm run verify-proof -- --report FILE, with no --signature', () => {
  const run = promisify(execFile);
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', join(ROOT, 'controller/proof/verify-cli.ts'), ...args], {
      cwd: ROOT,
    }).then(
      (r) => ({ code: 0, ...r }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
  const dir = mkdtempSync(join(tmpdir(), 'file-signature-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 for a signed file, 1 for one changed, 2 for one with no signature; Vietnamese first', async () => {
    const { signer } = CommandSigner.generate();
    const pem = join(dir, 'keys.pem');
    writeFileSync(pem, signer.publicKeyPem);
    const signed = signPdf(await makePdf(), signer);
    writeFileSync(join(dir, 'good.pdf'), signed);
    writeFileSync(join(dir, 'changed.pdf'), flipped(signed, signed.length >> 1));
    writeFileSync(join(dir, 'good.xlsx'), signZip(await makeXlsx(), signer));
    writeFileSync(join(dir, 'good.docx'), signZip(await makeDocx(), signer));
    writeFileSync(join(dir, 'plain.xlsx'), await makeXlsx());
    const files = ['good.pdf', 'changed.pdf', 'good.xlsx', 'good.docx', 'plain.xlsx'];
    const [good, changed, goodXlsx, goodDocx, plain] = await Promise.all(
      files.map((f) => cli('--keys', pem, '--report', join(dir, f))),
    );

    expect(good.code, good.stderr).toBe(0);
    const [vi, en] = good.stdout.trim().split('\n');
    expect(vi).toContain('chữ ký trong tệp hợp lệ');
    expect(vi).toContain(signer.keyId);
    expect(en).toContain('the signature it carries is valid');
    expect(goodXlsx.code, goodXlsx.stderr).toBe(0);
    expect(goodDocx.code, goodDocx.stderr).toBe(0);

    expect(changed.code).toBe(1);
    expect(changed.stdout.indexOf('KHÔNG hợp lệ')).toBeGreaterThanOrEqual(0);
    expect(changed.stdout.indexOf('KHÔNG hợp lệ')).toBeLessThan(changed.stdout.indexOf('NOT valid'));

    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('không mang chữ ký');
    expect(plain.stderr.indexOf('không mang chữ ký')).toBeLessThan(plain.stderr.indexOf('carries no signature'));
  }, 60_000);
});

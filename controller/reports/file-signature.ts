/**
 * A report file that carries its own signature, so that a copy passed on by e-mail or USB stick can
 * be checked from the file alone with the commune's published key (npm run verify-proof -- --report).
 * The X-Report-Signature header is lost as soon as the file is saved; this is not.
 *
 * What is signed, for the PDF and the ZIP formats: the sha256 of the file exactly as it was before signing (the PDF
 * with its placeholder in place, the ZIP with an empty comment), as ed25519 over the UTF-8 bytes of
 * that sha256's hex, the scheme of the X-Report-Signature header and POST /api/reports/verify.
 * Hashing with the placeholder restored (rather than the bytes before and after it joined) also binds
 * where the signature sits, as a PDF ByteRange does by signing its own offsets: bytes moved across
 * the signature would otherwise hash the same. Any other byte changed, added or removed fails.
 *
 * The signature is written as `<key_id>:<base64>`; a verifier rebuilds that text from what it parsed
 * and refuses any other spelling, so the signed region is not malleable (base64 has spare bits).
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { keyIdOf } from '../protocol/signing.js';

export interface FileSigner {
  signBytes(bytes: Buffer): string;
  keyId: string;
}

export interface FileSignatureCheck {
  ok: boolean;
  format: 'pdf' | 'zip' | 'csv' | null;
  key_id: string | null;
  /** sha256 (hex) of the file as it was before signing: what the signature covers. */
  sha256: string | null;
  problem?: 'unsigned' | 'bad_signature' | 'unknown_key';
}

/** The Info dictionary key the PDF maker sets to PDF_SIGNATURE_PLACEHOLDER. */
export const PDF_SIGNATURE_KEY = 'TTSignature';
/**
 * 128 ASCII characters, none of which pdfkit escapes in a literal string (`( ) \` and control
 * characters), so it is written byte for byte as `(…)`: a string with any character above 0x7f
 * would be written as UTF-16. Room for a 16-digit key id, a colon and 88 base64 characters.
 */
export const PDF_SIGNATURE_PLACEHOLDER = `TT-SIGNATURE-PLACEHOLDER-${'0'.repeat(103)}`;
const ZIP_COMMENT_PREFIX = 'TT-SIGNATURE ';
const SIGNED = /^([0-9a-f]{16}):([A-Za-z0-9+/]+={0,2})$/;

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const signatureText = (signer: FileSigner, unsigned: Buffer) =>
  `${signer.keyId}:${signer.signBytes(Buffer.from(sha256Of(unsigned), 'utf8'))}`;

/** Signs a pdfkit PDF made with `info: { TTSignature: PDF_SIGNATURE_PLACEHOLDER }`. */
export function signPdf(pdf: Buffer, signer: FileSigner): Buffer {
  // pdfkit writes each Info value as its own uncompressed object, `N 0 obj\n(value)\nendobj`.
  const literal = Buffer.from(`(${PDF_SIGNATURE_PLACEHOLDER})`, 'latin1');
  const at = pdf.indexOf(literal);
  if (at < 0 || pdf.indexOf(literal, at + 1) >= 0)
    throw new Error(`the PDF must hold its ${PDF_SIGNATURE_KEY} placeholder exactly once`);
  const text = signatureText(signer, pdf).padEnd(PDF_SIGNATURE_PLACEHOLDER.length, ' ');
  if (text.length !== PDF_SIGNATURE_PLACEHOLDER.length) throw new Error('the signature is longer than its placeholder');
  const signed = Buffer.from(pdf);
  signed.write(text, at + 1, 'latin1');
  return signed;
}

/** Where the signature sits in a signed PDF, found through the Info key that names its object. */
function pdfSignature(pdf: Buffer): { at: number; text: string } | 'unsigned' | 'bad_signature' {
  const body = pdf.toString('latin1');
  // A dictionary entry on a line of its own: text in a string cannot hold a bare newline (pdfkit
  // escapes it, or writes UTF-16), so a title cannot pose as the entry.
  const refs = [...body.matchAll(new RegExp(`\n/${PDF_SIGNATURE_KEY} (\\d+) 0 R\n`, 'g'))];
  if (refs.length === 0) return 'unsigned';
  if (refs.length > 1) return 'bad_signature';
  const head = `\n${refs[0][1]} 0 obj\n(`;
  const start = body.indexOf(head);
  if (start < 0 || body.indexOf(head, start + 1) >= 0) return 'bad_signature';
  const at = start + head.length;
  const end = at + PDF_SIGNATURE_PLACEHOLDER.length;
  if (body[end] !== ')') return 'bad_signature';
  const text = body.slice(at, end);
  return text === PDF_SIGNATURE_PLACEHOLDER ? 'unsigned' : { at, text };
}

// ZIP end of central directory record (APPNOTE.TXT 4.3.16): 22 bytes, the comment's length in the
// last two, then the comment, which is where the file ends.
const EOCD = 0x06054b50;
const EOCD_LENGTH = 22;

/** The offset of the EOCD record whose comment runs exactly to the end of the file, or -1. */
function eocdOf(zip: Buffer): number {
  for (let at = zip.length - EOCD_LENGTH; at >= Math.max(0, zip.length - EOCD_LENGTH - 0xffff); at--) {
    if (zip.readUInt32LE(at) === EOCD && at + EOCD_LENGTH + zip.readUInt16LE(at + 20) === zip.length) return at;
  }
  return -1;
}

/** Signs an XLSX or DOCX (a ZIP) in its archive comment, which every ZIP reader skips. */
export function signZip(zip: Buffer, signer: FileSigner): Buffer {
  const at = eocdOf(zip);
  if (at < 0) throw new Error('not a ZIP file: no end of central directory record');
  if (zip.readUInt16LE(at + 20) !== 0) throw new Error('the ZIP already has a comment');
  const comment = Buffer.from(`${ZIP_COMMENT_PREFIX}${signatureText(signer, zip)}`, 'latin1');
  const signed = Buffer.concat([zip, comment]);
  signed.writeUInt16LE(comment.length, at + 20);
  return signed;
}

function zipSignature(zip: Buffer): { unsigned: Buffer; text: string } | 'unsigned' | 'bad_signature' {
  const at = eocdOf(zip);
  if (at < 0) return 'bad_signature'; // damaged, cut short or grown at its end
  const comment = zip.subarray(at + EOCD_LENGTH).toString('latin1');
  if (!comment.startsWith(ZIP_COMMENT_PREFIX)) return 'unsigned';
  const unsigned = Buffer.from(zip.subarray(0, at + EOCD_LENGTH));
  unsigned.writeUInt16LE(0, at + 20);
  return { unsigned, text: comment.slice(ZIP_COMMENT_PREFIX.length) };
}

// A CSV for people ends with a row of its own: a label, then `TT-SIGNATURE <key_id>:<base64>`.
// What is signed is the file up to and including `TT-SIGNATURE `, so the label is covered too.
const CSV_MARK = 'TT-SIGNATURE ';
const CSV_TRAILER = /TT-SIGNATURE ([0-9a-f]{16}:[A-Za-z0-9+/]+={0,2})\r\n$/;

/** Signs a CSV (ending in CRLF) with a last row: `label`, then the signature. */
export function signCsv(csv: string, label: string, signer: FileSigner): Buffer {
  if (!csv.endsWith('\r\n')) throw new Error('the CSV must end with CRLF');
  const unsigned = Buffer.from(`${csv}"${label.replace(/"/g, '""')}",${CSV_MARK}`, 'utf8');
  return Buffer.concat([unsigned, Buffer.from(`${signatureText(signer, unsigned)}\r\n`, 'latin1')]);
}

function csvSignature(csv: Buffer): { unsigned: Buffer; text: string } | 'unsigned' {
  const tail = csv.subarray(Math.max(0, csv.length - 200)).toString('latin1');
  const found = CSV_TRAILER.exec(tail);
  if (!found) return 'unsigned';
  const end = csv.length - Buffer.byteLength(found[0], 'latin1') + CSV_MARK.length;
  return { unsigned: csv.subarray(0, end), text: found[1] };
}

/** Key id to PEM; a published key that cannot be read verifies nothing, so it is left out. */
function keysOf(keys: string[] | Map<string, string>): Map<string, string> {
  if (keys instanceof Map) return keys;
  return new Map(
    keys.flatMap((pem) => {
      try {
        return [[keyIdOf(createPublicKey(pem)), pem] as const];
      } catch {
        return [];
      }
    }),
  );
}

/** Checks the signature a PDF, XLSX, DOCX or CSV carries against the commune's published public keys. */
export function verifySignedFile(file: Buffer, publicKeyPems: string[] | Map<string, string>): FileSignatureCheck {
  const magic = file.subarray(0, 5).toString('latin1');
  const binary = magic === '%PDF-' ? 'pdf' : magic.startsWith('PK\x03\x04') ? 'zip' : null;
  // Text: a CSV for people is known by its signature row (unsigned text is no format we sign).
  const csv = binary ? 'unsigned' : csvSignature(file);
  const format = binary ?? (typeof csv === 'string' ? null : 'csv');
  const none = (problem: FileSignatureCheck['problem']): FileSignatureCheck => ({
    ok: false,
    format,
    key_id: null,
    sha256: null,
    problem,
  });
  if (format === null) return none('unsigned');

  let unsigned: Buffer;
  let text: string;
  if (format === 'pdf') {
    const found = pdfSignature(file);
    if (typeof found === 'string') return none(found);
    unsigned = Buffer.from(file);
    unsigned.write(PDF_SIGNATURE_PLACEHOLDER, found.at, 'latin1');
    text = found.text.trimEnd();
    if (found.text !== text.padEnd(PDF_SIGNATURE_PLACEHOLDER.length, ' ')) return none('bad_signature'); // padding other than spaces
  } else if (format === 'zip') {
    const found = zipSignature(file);
    if (typeof found === 'string') return none(found);
    ({ unsigned, text } = found);
  } else {
    if (typeof csv === 'string') return none(csv);
    ({ unsigned, text } = csv);
  }

  const parts = SIGNED.exec(text);
  const signature = parts ? Buffer.from(parts[2], 'base64') : null;
  if (!parts || !signature || signature.toString('base64') !== parts[2]) return none('bad_signature');
  const key_id = parts[1];
  const sha256 = sha256Of(unsigned);
  const pem = keysOf(publicKeyPems).get(key_id);
  if (!pem) return { ok: false, format, key_id, sha256, problem: 'unknown_key' };
  let ok = false;
  try {
    ok = verify(null, Buffer.from(sha256, 'utf8'), createPublicKey(pem), signature);
  } catch {
    /* a key or signature that cannot be read is a bad signature */
  }
  return ok ? { ok, format, key_id, sha256 } : { ok, format, key_id, sha256, problem: 'bad_signature' };
}

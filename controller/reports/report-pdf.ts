/**
 * The report document as a PDF (pdfkit), laid out as Decree 30/2020/NĐ-CP lays out a báo cáo:
 * A4, the issuer block top left and the national name and motto top right, the place and date
 * line, the title centred, the body, then recipients bottom left and the signer bottom right.
 * DejaVu Serif is embedded so diacritics print on any machine. `info` may carry extra metadata
 * (the in-file signature's placeholder).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ReportDocument, Table } from './report-document.js';

const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
// A4 with the decree's margins (top 20–25 mm, bottom 20–25 mm, left 30–35 mm, right 15–20 mm).
const MARGINS = { top: 57, bottom: 57, left: 85, right: 50 };

// pdfkit is loaded when a report is first made: memory a small box would otherwise carry all day.
export async function reportPdf(d: ReportDocument, info: Record<string, string> = {}): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  // Pages are buffered so that their numbers can be written once the count is known.
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    info: { Title: d.title, Author: d.issuer, Creator: 'truyen-thanh-controller', ...info },
  });
  doc.registerFont('regular', join(FONT_DIR, 'DejaVuSerif.ttf'));
  doc.registerFont('bold', join(FONT_DIR, 'DejaVuSerif-Bold.ttf'));
  doc.registerFont('italic', join(FONT_DIR, 'DejaVuSerif-Italic.ttf'));
  doc.registerFont('bolditalic', join(FONT_DIR, 'DejaVuSerif-BoldItalic.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const left = MARGINS.left;
  const width = doc.page.width - MARGINS.left - MARGINS.right;
  // Two heading columns with a gap between them: the issuer's lines never run into the nation's.
  const colW = width * 0.4;
  const rightX = left + width * 0.43;
  const rightW = width * 0.57;

  // The heading: two columns side by side.
  const top = doc.y;
  doc.font('regular').fontSize(11).text(d.parentBody, left, top, { width: colW, align: 'center' });
  doc.font('bold').text(d.issuer, { width: colW, align: 'center' });
  const underIssuer = doc.y + 2;
  doc
    .moveTo(left + colW * 0.35, underIssuer)
    .lineTo(left + colW * 0.65, underIssuer)
    .lineWidth(0.6)
    .stroke();
  doc
    .font('regular')
    .fontSize(11)
    .text(d.number, left, underIssuer + 6, { width: colW, align: 'center' });
  const leftEnd = doc.y;
  // The national name stands on one line, as the decree sets it: the size shrinks until it fits.
  let nationSize = 11;
  doc.font('bold');
  while (nationSize > 8 && doc.fontSize(nationSize).widthOfString(d.nation) > rightW) nationSize -= 0.5;
  doc.fontSize(nationSize).text(d.nation, rightX, top, { width: rightW, align: 'center' });
  doc.font('bold').fontSize(12).text(d.motto, rightX, doc.y, { width: rightW, align: 'center' });
  const underMotto = doc.y + 2;
  const mottoW = doc.widthOfString(d.motto);
  doc
    .moveTo(rightX + (rightW - mottoW) / 2, underMotto)
    .lineTo(rightX + (rightW + mottoW) / 2, underMotto)
    .stroke();
  doc
    .font('italic')
    .fontSize(12)
    .text(d.placeDate, rightX, underMotto + 8, { width: rightW, align: 'center' });
  doc.y = Math.max(leftEnd, doc.y) + 18;

  doc.font('bold').fontSize(14).text(d.kind, left, doc.y, { width, align: 'center' });
  doc.font('bold').fontSize(13).text(d.subject, { width, align: 'center' });
  doc.moveDown(1);
  doc.font('regular').fontSize(12).text(d.intro, left, doc.y, { width, align: 'justify', indent: 28 });
  if (d.warning)
    doc.moveDown(0.4).font('bold').fillColor('#B00020').text(d.warning, left, doc.y, { width }).fillColor('black');

  for (const s of d.sections) {
    ensureRoom(doc, 60);
    doc.moveDown(0.6).font('bold').fontSize(12).text(s.heading, left, doc.y, { width });
    doc.moveDown(0.2).font('regular').fontSize(12);
    for (const line of s.lines) doc.text(line, left, doc.y, { width, align: 'justify', indent: 28 });
    if (s.chart && s.chart.length) chart(doc, s.chart, left, width);
    if (s.table) table(doc, s.table, left, width);
  }

  // Recipients (left) and the signer (right), side by side, kept together on one page.
  ensureRoom(doc, 150);
  const foot = doc.y + 18;
  doc.font('bolditalic').fontSize(12).text(d.recipientsLabel, left, foot, { width: colW });
  doc.font('regular').fontSize(11);
  for (const r of d.recipients) doc.text(r, left, doc.y, { width: colW });
  const recipientsEnd = doc.y;
  doc.font('bold').fontSize(12.5).text(d.signerTitle, rightX, foot, { width: rightW, align: 'center' });
  doc.moveDown(4);
  if (d.signerName) doc.font('bold').fontSize(13).text(d.signerName, rightX, doc.y, { width: rightW, align: 'center' });
  doc.y = Math.max(recipientsEnd, doc.y);
  // Page numbers from the second page on, at the top centre, as the decree asks.
  const { start, count } = doc.bufferedPageRange();
  for (let i = start + 1; i < start + count; i++) {
    doc.switchToPage(i);
    doc
      .font('regular')
      .fontSize(12)
      .text(String(i + 1), left, 28, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

type Pdf = InstanceType<typeof import('pdfkit')>;

function ensureRoom(doc: Pdf, height: number): void {
  if (doc.y + height > doc.page.height - MARGINS.bottom) doc.addPage();
}

function chart(doc: Pdf, bars: { label: string; value: number; text: string }[], left: number, width: number): void {
  const max = Math.max(1, ...bars.map((b) => b.value));
  doc.moveDown(0.3).fontSize(10);
  for (const b of bars) {
    ensureRoom(doc, 16);
    const y = doc.y;
    // A long label wraps: the row is as tall as its label, so the next row (or table) starts below it.
    const labelHeight = doc.heightOfString(b.label, { width: width * 0.38 });
    doc.fillColor('black').text(b.label, left, y, { width: width * 0.38 });
    doc.rect(left + width * 0.4, y + 2, (b.value / max) * width * 0.38, 9).fill('#0b5394');
    doc.fillColor('black').text(b.text, left + width * 0.8, y, { width: width * 0.2 });
    doc.y = Math.max(y + labelHeight, y + 13) + 3;
  }
  doc.x = left;
}

/** A bordered table whose rows grow to fit their text; the header row repeats on a new page. */
function table(doc: Pdf, t: Table, left: number, width: number): void {
  const total = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => (w / total) * width);
  const pad = 3;
  // The header's size: 9.5 pt, smaller (to 7 pt) until no word of a header is wider than its
  // column, so that "Households" is never printed "House holds" (pdfkit breaks inside a word that
  // does not fit).
  doc.font('bold');
  let headerSize = 9.5;
  const fits = () =>
    t.headers.every((h, i) =>
      h.split(/\s+/).every((word) => doc.fontSize(headerSize).widthOfString(word) <= widths[i] - 2 * pad),
    );
  while (headerSize > 7 && !fits()) headerSize -= 0.5;
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(bold ? headerSize : 9.5);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i] - 2 * pad }))) + 2 * pad;
    if (doc.y + height > doc.page.height - MARGINS.bottom) {
      doc.addPage();
      if (!bold) drawRow(t.headers, true);
      doc.font(bold ? 'bold' : 'regular').fontSize(bold ? headerSize : 9.5);
    }
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      doc.rect(x, y, widths[i], height).lineWidth(0.5).stroke();
      doc.text(c, x + pad, y + pad, { width: widths[i] - 2 * pad, align: i === 0 ? 'left' : 'center' });
      x += widths[i];
    });
    doc.y = y + height;
  };
  doc.moveDown(0.3);
  drawRow(t.headers, true);
  for (const row of t.rows) drawRow(row, false);
  doc.x = left;
  doc.font('regular').fontSize(12);
}

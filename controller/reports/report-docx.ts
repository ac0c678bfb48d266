/**
 * The report document as DOCX (the `docx` package), which commune staff edit before signing:
 * the same Decree 30/2020/NĐ-CP layout as the PDF (heading table of two columns without borders,
 * title, body, a bar chart drawn as a table, recipients and signer side by side), Times New Roman
 * 13 pt as the decree asks, on A4 with its margins.
 */
import type { ReportDocument, Table as DocTable } from './report-document.js';

// docx is loaded when a DOCX is first asked for.
export async function reportDocx(d: ReportDocument): Promise<Buffer> {
  const docx = await import('docx');
  const {
    AlignmentType,
    BorderStyle,
    Document,
    Header,
    PageNumber,
    Packer,
    Paragraph,
    ShadingType,
    Table,
    TableCell,
    TableRow,
    TextRun,
    WidthType,
  } = docx;
  const FONT = 'Times New Roman';
  const run = (text: string, o: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean } = {}) =>
    new TextRun({
      text,
      font: FONT,
      size: (o.size ?? 13) * 2,
      bold: o.bold,
      italics: o.italics,
      ...(o.underline ? { underline: {} } : {}),
    });
  const para = (
    text: string,
    o: {
      bold?: boolean;
      italics?: boolean;
      size?: number;
      underline?: boolean;
      align?: (typeof AlignmentType)[keyof typeof AlignmentType];
      indent?: boolean;
    } = {},
  ) =>
    new Paragraph({
      alignment: o.align ?? AlignmentType.LEFT,
      spacing: { after: 60 },
      ...(o.indent ? { indent: { firstLine: 567 } } : {}),
      children: [run(text, o)],
    });
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const noBorders = { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none };
  const cell = (children: InstanceType<typeof Paragraph>[], widthPct: number) =>
    new TableCell({
      width: { size: widthPct, type: WidthType.PERCENTAGE },
      children,
      borders: { top: none, bottom: none, left: none, right: none },
    });
  const C = AlignmentType.CENTER;

  const heading = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: noBorders,
    rows: [
      new TableRow({
        children: [
          // The issuer with a short rule under it (not the whole name underlined), as the decree draws it.
          cell(
            [
              para(d.parentBody, { size: 12, align: C }),
              para(d.issuer, { size: 12, bold: true, align: C }),
              para('────────', { size: 8, align: C }),
              para(d.number, { size: 12, align: C }),
            ],
            40,
          ),
          cell(
            [
              para(d.nation, { size: 12, bold: true, align: C }),
              para(d.motto, { bold: true, underline: true, align: C }),
              para(d.placeDate, { italics: true, align: C }),
            ],
            60,
          ),
        ],
      }),
    ],
  });

  const bordered = (t: DocTable) => {
    const total = t.widths.reduce((a, b) => a + b, 0);
    const row = (cells: string[], bold: boolean) =>
      new TableRow({
        tableHeader: bold,
        children: cells.map(
          (c, i) =>
            new TableCell({
              width: { size: Math.round((t.widths[i] / total) * 100), type: WidthType.PERCENTAGE },
              children: [para(c, { size: 11, bold, align: i === 0 ? AlignmentType.LEFT : C })],
            }),
        ),
      });
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [row(t.headers, true), ...t.rows.map((r) => row(r, false))],
    });
  };
  /** Bars as shaded cells: Word and LibreOffice show them without a chart engine. */
  const bars = (items: { label: string; value: number; text: string }[]) => {
    const max = Math.max(1, ...items.map((b) => b.value));
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: noBorders,
      rows: items.map((b) => {
        const pct = Math.max(1, Math.round((b.value / max) * 40));
        return new TableRow({
          children: [
            cell([para(b.label, { size: 11 })], 40),
            new TableCell({
              width: { size: pct, type: WidthType.PERCENTAGE },
              shading: { type: ShadingType.SOLID, color: '0B5394', fill: '0B5394' },
              children: [para('', { size: 8 })],
              borders: { top: none, bottom: none, left: none, right: none },
            }),
            cell([para('', { size: 8 })], 41 - pct + 1),
            cell([para(b.text, { size: 11 })], 19),
          ],
        });
      }),
    });
  };

  const body: (InstanceType<typeof Paragraph> | InstanceType<typeof Table>)[] = [
    heading,
    para('', {}),
    para(d.kind, { bold: true, size: 14, align: C }),
    para(d.subject, { bold: true, align: C }),
    para('', {}),
    para(d.intro, { indent: true, align: AlignmentType.JUSTIFIED }),
    ...(d.warning ? [para(d.warning, { bold: true })] : []),
  ];
  for (const s of d.sections) {
    body.push(para(s.heading, { bold: true }));
    for (const line of s.lines) body.push(para(line, { indent: true, align: AlignmentType.JUSTIFIED }));
    if (s.chart && s.chart.length) body.push(bars(s.chart), para('', { size: 6 }));
    if (s.table) body.push(bordered(s.table));
  }
  body.push(para('', {}));
  body.push(
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: noBorders,
      rows: [
        new TableRow({
          children: [
            cell(
              [
                para(d.recipientsLabel, { bold: true, italics: true, size: 12 }),
                ...d.recipients.map((r) => para(r, { size: 11 })),
              ],
              45,
            ),
            cell(
              [
                ...d.signerTitle.split('\n').map((line) => para(line, { bold: true, align: C })),
                para('', {}),
                para('', {}),
                para('', {}),
                para(d.signerName, { bold: true, align: C }),
              ],
              55,
            ),
          ],
        }),
      ],
    }),
  );

  const document = new Document({
    creator: 'truyen-thanh-controller',
    title: d.title,
    description: d.subject,
    styles: { default: { document: { run: { font: FONT, size: 26 } } } },
    sections: [
      {
        // A4 (twentieths of a point) with the decree's margins: top/bottom 20 mm, left 30 mm, right 15 mm.
        properties: {
          titlePage: true,
          page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1701, right: 850 } },
        },
        // Page numbers from the second page on (the first page's header is empty), top centre.
        headers: {
          first: new Header({ children: [] }),
          default: new Header({
            children: [
              new Paragraph({
                alignment: C,
                children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: 24 })],
              }),
            ],
          }),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(document);
}

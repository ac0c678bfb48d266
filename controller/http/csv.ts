/**
 * CSV for spreadsheets (Excel opens UTF-8 with the BOM): every cell quoted, and cells that a
 * spreadsheet would run as a formula defused (CSV injection).
 */
export function toCsv(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  /** Lines above the header, one cell each (a title, a warning), for people reading it in a spreadsheet. */
  preamble: readonly string[] = [],
): string {
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`;
  };
  const lines = [
    ...preamble.map(cell),
    columns.join(','),
    ...rows.map((r) => columns.map((c) => cell(r[c])).join(',')),
  ];
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

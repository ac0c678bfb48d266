/** What tests read out of the report documents the controller serves. */

/** The text of a DOCX's body, a space between paragraphs (as a reader sees the words). */
export async function readDocxText(docx: Buffer): Promise<string> {
  const { default: JSZip } = await import('jszip');
  const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
  return xml
    .replace(/<w:p[ >]/g, ' $&')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

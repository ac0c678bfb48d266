/**
 * The layout of a typed announcement, read before normalisation flattens it: paragraphs (a
 * blank line), lines, and list items ("- …", "• …", "1. …", "a) …"). The normaliser joins
 * everything into one line, so where the writer broke lines is only known here.
 */

/** What separates a block from the one before it. */
export type BlockBreak = 'none' | 'line' | 'list_item' | 'paragraph';

export interface TextBlock {
  /** The block's raw text, list bullet removed (a numbered marker becomes "1," so it is read "một,"). */
  text: string;
  before: BlockBreak;
}

/** A bullet: a symbol, then a space. It is layout, not a word, so it is not read. */
const BULLET = /^[-–—•▪◦·*+]\s+/;
/** A numbered or lettered marker: "1." "2)" "a)". A lone letter with a dot ("Đ. Biên Phủ") is too often an initial. */
const NUMBERED = /^(\d{1,2})[.)]\s+|^([a-zđ])\)\s+/i;
/** A line that starts in lower case continues the line above (text pasted from a PDF or a narrow box). */
const CONTINUES = /^\p{Ll}/u;

export function splitBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let blankBefore = false;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (!line) {
      blankBefore = blocks.length > 0;
      continue;
    }
    const numbered = NUMBERED.exec(line);
    const bullet = BULLET.exec(line);
    const isItem = Boolean(numbered || bullet);
    const last = blocks[blocks.length - 1];
    if (last && !blankBefore && !isItem && CONTINUES.test(line)) {
      last.text += ` ${line}`;
      continue;
    }
    let content = line;
    if (numbered) content = `${numbered[1] ?? numbered[2]}, ${line.slice(numbered[0].length)}`;
    else if (bullet) content = line.slice(bullet[0].length);
    const before: BlockBreak = !last ? 'none' : blankBefore ? 'paragraph' : isItem ? 'list_item' : 'line';
    blocks.push({ text: content, before });
    blankBefore = false;
  }
  return blocks;
}

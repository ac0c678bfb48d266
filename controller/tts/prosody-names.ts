/**
 * Names in a typed announcement (people, hamlets, communes: "ông Nguyễn Văn An", "thôn Đông",
 * "xã Xuân Hưng"), found by their capitals before the normaliser lowercases everything. A
 * listener who misses a name cannot guess it from the sentence, so names are read slower.
 */

/** A word written with a capital and then small letters ("Hưng", "A"); all capitals ("UBND") is an abbreviation. */
const TITLE_WORD = /^\p{Lu}[\p{Ll}\p{M}]*$/u;
/** Leading and trailing punctuation of a token ("(Xuân", "Hưng,"). */
const EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const ENDS_SENTENCE = /[.!?…:]["”’)\]]*$/u;
/** The marker prosody-blocks.ts writes for a numbered list item ("1, ", "a, "): what follows starts a sentence. */
const ITEM_MARKER = /^(\d{1,2}|[a-zđ]),$/iu;

/**
 * The runs of capitalised words in a block of raw text. A single capitalised word that starts a
 * sentence is only a sentence's first word; two or more ("Thôn Đông mất điện") are kept.
 */
export function findNames(text: string): string[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  const names: string[] = [];
  let run: string[] = [];
  let runAtStart = false;
  const close = () => {
    if (run.length >= 2 || (run.length === 1 && !runAtStart)) names.push(run.join(' '));
    run = [];
  };
  tokens.forEach((token, i) => {
    const core = token.replace(EDGES, '');
    const prev = tokens[i - 1];
    const atStart = i === 0 || ENDS_SENTENCE.test(prev) || (i === 1 && ITEM_MARKER.test(prev));
    const opensWithPunctuation = core !== token && !token.startsWith(core);
    if (!TITLE_WORD.test(core) || (run.length > 0 && opensWithPunctuation)) close();
    if (!TITLE_WORD.test(core)) return;
    if (run.length === 0) runAtStart = atStart;
    run.push(core);
    // Punctuation after the word ends the name ("Xuân Hưng, Xuân Lộc" are two).
    if (!token.endsWith(core)) close();
  });
  close();
  return names;
}

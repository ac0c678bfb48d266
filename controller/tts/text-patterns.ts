/**
 * Regex pieces shared by the normaliser's rules. Word edges are spelled out with look-arounds
 * because `\b` knows only ASCII letters: "Đ" or "ư" would count as an edge.
 */
export const WORD = '\\p{L}\\p{N}';
/** Not preceded by a letter or digit. */
export const before = `(?<![${WORD}])`;
/** Not followed by a letter or digit. */
export const after = `(?![${WORD}])`;
/** A number as written in Vietnamese: "2.500.000", "3,5", "105". */
export const NUMBER = '\\d{1,3}(?:\\.\\d{3})+(?:,\\d+)?|\\d+(?:,\\d+)?';
/** The dashes people type between the ends of a range. */
export const DASH = '[-–]';

export const re = (source: string, flags = 'gu') => new RegExp(source, flags);
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Names and ids as a person orders them: "Thôn 2" before "Thôn 10", "loa-9" before "loa-10",
 * Vietnamese letters in their alphabet's order.
 */
const collator = new Intl.Collator('vi', { numeric: true });

export const naturalCompare = (a: string, b: string): number => collator.compare(a, b);

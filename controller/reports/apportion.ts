/** Minutes by key in whole tenths that add up to `total` tenths (largest remainders): a table's rows sum to its total. */
export function apportion(raw: [string, number][], total: number): Map<string, number> {
  const tenths = raw.map(([k, m]) => ({
    k,
    floor: Math.floor(m * 10 + 1e-9),
    rest: m * 10 - Math.floor(m * 10 + 1e-9),
  }));
  let left = total - tenths.reduce((n, x) => n + x.floor, 0);
  for (const x of [...tenths].sort((a, b) => b.rest - a.rest)) if (left-- > 0) x.floor++;
  return new Map(tenths.map((x) => [x.k, x.floor]));
}

// A receiver's own words in its final ack (the agent writes English, for any controller): the one
// the console says in the reader's language is how many plays of a repeated item it gave in full
// before a stop or a fault ("played 1 of 3 times"; an outsider read that English on a Vietnamese page).

/** `{ played, times, rest }` from "played N of M times[; …|, then: …]", or null for any other text. */
export function repeatsPlayed(detail) {
  const m = /^played (\d+) of (\d+) times(?:(?:; |, then: )(.*))?$/s.exec(detail ?? '');
  return m ? { played: Number(m[1]), times: Number(m[2]), rest: m[3] ?? null } : null;
}

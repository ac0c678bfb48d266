/**
 * An actor as people know it, in SQL, for the views that name many at once (the as-run log, the
 * audit view): a person ("username") by display name; an API token ("token:<name>") that speaks
 * for a person (`npm run admin -- token --owner`, or one made from a session) by that person and
 * the token, "Nguyễn Văn A (tich-hop)", as `AccountsService.displayNameOf` says it. Null for a
 * token that speaks for no one and for anything else: the caller says what it is.
 */
export function actorNameSql(actor: string): string {
  return `COALESCE(
    (SELECT u.display_name FROM users u WHERE u.username = ${actor}),
    (SELECT COALESCE(o.display_name, o.username) || ' (' || t.name || ')'
       FROM api_tokens t JOIN users o ON o.id = t.created_by OR o.username = t.created_by
      WHERE ${actor} LIKE 'token:%' AND t.name = substr(${actor}, 7) LIMIT 1))`;
}

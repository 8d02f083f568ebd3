/**
 * Naming a PostgreSQL database without its secrets. Kept apart from the driver so that a SQLite process never
 * loads `pg` to recognise or describe AIPATH_DB.
 */

/** AIPATH_DB names PostgreSQL when it is a postgres:// or postgresql:// URL; anything else is a SQLite path. */
export const isPostgresUrl = (dbPath: string): boolean => /^postgres(?:ql)?:\/\//i.test(dbPath);

// ---------- naming a database without its secrets

/** Every form in which a secret of this URL (or of the PG* environment) could appear in a message. */
function secretsOf(url: string): string[] {
  const secrets = new Set<string>();
  const add = (s: string | null | undefined) => {
    if (!s) return;
    secrets.add(s);
    try {
      secrets.add(decodeURIComponent(s));
    } catch {
      // not percent-encoded
    }
  };
  try {
    const u = new URL(url);
    add(u.password);
    for (const name of ['password', 'sslpassword']) add(u.searchParams.get(name));
  } catch {
    // Not a URL: take whatever sits between "user:" and "@" as the password.
    add(/^[a-z]+:\/\/[^:/@?#]*:([^@]*)@/i.exec(url)?.[1]);
  }
  add(process.env.PGPASSWORD);
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** `text` with every secret of `url` (its password, in any encoding, and PGPASSWORD) replaced by ***. */
export function redactSecrets(text: string, url: string): string {
  let out = text;
  for (const secret of secretsOf(url)) out = out.split(secret).join('***');
  return out;
}

/**
 * How a PostgreSQL URL is shown in messages and logs: scheme, user, host, port and database, never the
 * password or the query (which may hold one, or key material paths nobody needs to read).
 */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${u.username}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return `${/^[a-z]+:/i.exec(url)?.[0] ?? 'postgres:'}//… (not a valid URL)`;
  }
}

import pg from 'pg';
import { ConfigError } from '../../config.js';
import { StoreBusyError } from '../../ports/store.js';
import { instantText } from '../instant-text.js';

import { describePostgresUrl, redactSecrets } from './url.js';

export { describePostgresUrl, isPostgresUrl, redactSecrets } from './url.js';

// ---------- connecting

export interface ConnectOptions {
  /** How long one statement waits for a row or table lock held by another transaction (SQLSTATE 55P03 after it). */
  lockTimeoutMs?: number;
  /** How long to wait for a connection (a new one, or a free one from the pool). */
  connectTimeoutMs?: number;
}

/** node-postgres returns int8 (bigint ids, COUNT, SUM of integers, RANK) as strings; ours all fit in a JS number. */
const INT8_OID = 20;
const parseInt8 = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${value} from PostgreSQL does not fit in a JavaScript number`);
  return n;
};
/** Per client, not pg.types globally: other pg users in the process (tests, tools) keep pg's defaults. */
export const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * The client settings for AIPATH_DB: everything the URL says (user, password, host, port, database, sslmode
 * and the other TLS options, application_name, options) and, for what it leaves out, the usual PG* variables,
 * as node-postgres reads them.
 */
export function clientConfig(url: string, opts: ConnectOptions = {}): pg.ClientConfig {
  return {
    connectionString: url,
    fallback_application_name: 'aipath',
    keepAlive: true,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    ...(opts.lockTimeoutMs ? { lock_timeout: opts.lockTimeoutMs } : {}),
    types: TYPES,
  };
}

/** A URL that does not parse is refused before anything tries to connect with it. */
export function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError('AIPATH_DB is not a valid PostgreSQL URL (expected postgres://user:password@host:5432/database)');
  }
  if (u.port !== '' && Number(u.port) === 0) throw new ConfigError(`AIPATH_DB ${describePostgresUrl(url)}: port 0 is not a port`);
}

/** Connects one client for AIPATH_DB; a failure is a ConfigError naming AIPATH_DB and the reason, never the password. */
export async function connectClient(url: string, opts: ConnectOptions = {}): Promise<pg.Client> {
  checkUrl(url);
  let client: pg.Client;
  try {
    client = new pg.Client(clientConfig(url, opts));
  } catch (err) {
    throw new ConfigError(`AIPATH_DB ${describePostgresUrl(url)}: ${redactSecrets((err as Error).message, url)}`);
  }
  // An error after connecting (the server going away) arrives as an event; the query that was running rejects too.
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => {});
    throw connectError(err, url);
  }
}

/** One line naming AIPATH_DB, where it points (without the password), and why it could not be used. */
export function connectError(err: unknown, url: string): ConfigError {
  return new ConfigError(`AIPATH_DB ${describePostgresUrl(url)}: ${redactSecrets(describeConnectError(err, url), url)}`);
}

function describeConnectError(err: unknown, url: string): string {
  const e = err as { code?: string; message?: string; hostname?: string; address?: string; port?: number };
  const message = e.message ?? String(err);
  let where = 'the server';
  let database = '';
  let user = '';
  try {
    const u = new URL(url);
    where = u.host || 'the server';
    database = decodeURIComponent(u.pathname.slice(1));
    user = decodeURIComponent(u.username);
  } catch {
    // described as is
  }
  switch (e.code) {
    case 'ECONNREFUSED':
      return `the server refused the connection at ${e.address && e.port ? `${e.address}:${e.port}` : where} (is PostgreSQL running and listening there?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${e.hostname ?? where} was not found`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `the server at ${where} cannot be reached (${e.code})`;
    case 'ENOENT':
      return `there is no PostgreSQL socket at ${e.address ?? 'the given path'} (is the server running?)`;
    case '3D000':
      return `the database ${database ? `"${database}" ` : ''}does not exist on ${where} (create it first, e.g. createdb ${database || 'aipath'})`;
    case '28P01':
      return `password authentication failed${user ? ` for user "${user}"` : ''}`;
    case '28000':
      return `the server refused the login${user ? ` of user "${user}"` : ''}: ${message}`;
    case '57P03':
      return 'the server is starting up or shutting down; try again shortly';
    case '53300':
      return 'the server has no connection slots left (too many connections)';
    case '42501':
      return `permission denied: ${message}`;
  }
  if (/timeout/i.test(message)) return `the server at ${where} did not answer in time`;
  if (/does not support SSL/i.test(message)) return 'the server does not support SSL: remove sslmode (or ssl=true) from the URL';
  if (/terminated unexpectedly/i.test(message)) return `the server at ${where} closed the connection (TLS required by the server? the wrong port?)`;
  if (e.code && /CERT|SSL|TLS/i.test(e.code)) return `TLS failed (${e.code}): ${message}`;
  return `could not connect: ${message}`;
}

// ---------- running statements

/** PostgreSQL's serialization failure, deadlock and lock timeout: the work changed nothing and may run again. */
const BUSY_CODES = new Set(['40001', '40P01', '55P03']);
export const isBusy = (err: unknown): boolean => BUSY_CODES.has(String((err as { code?: unknown })?.code ?? ''));

/**
 * pg-pool's words when a caller waited longer than the connect timeout for a pooled connection because every one was in
 * use (a new connection the server is slow to open fails differently: "Connection terminated due to connection timeout").
 */
const POOL_EXHAUSTED = 'timeout exceeded when trying to connect';

/**
 * A busy error becomes the engine-neutral StoreBusyError (which callers retry); so does a pool with every connection in
 * use for longer than the connect timeout: the database is busy, not broken, and the work changed nothing. Anything
 * else passes unchanged.
 */
export function translateError(err: unknown, pool?: pg.Pool): unknown {
  if (isBusy(err)) return new StoreBusyError((err as Error).message);
  if ((err as Error | undefined)?.message === POOL_EXHAUSTED) {
    const size = pool?.options.max;
    return new StoreBusyError(`every connection of the pool${size ? ` (${size})` : ''} is in use: waited the connect timeout for one`);
  }
  return err;
}

type Values = readonly unknown[];

/** Where a repository's statements run: the pool (each on its own) or one transaction's client. */
export interface Queryable {
  /** Whether the statements run inside one open transaction (a row lock taken lasts until it ends) or each on its own. */
  readonly inTransaction: boolean;
  /**
   * `name` makes it a prepared statement, planned once per connection rather than at every call: for statements a pass
   * runs every minute, where planning costs more than running (the look-up of pending work).
   */
  rows<R extends pg.QueryResultRow>(text: string, values?: Values, name?: string): Promise<R[]>;
  /** How many rows the statement changed. */
  run(text: string, values?: Values): Promise<number>;
  /**
   * Runs `work` as one unit: in a transaction of its own on the pool; as part of the transaction already
   * open otherwise (a failed statement aborts that whole transaction in PostgreSQL, so there is nothing
   * finer to roll back to).
   */
  atomic<T>(work: (q: Queryable) => Promise<T>): Promise<T>;
}

export const first = <R>(rows: R[]): R | undefined => rows[0];

/**
 * Instants for an array parameter, as ISO-8601 text: node-postgres formats each Date of an array in local time, field by
 * field, tens of microseconds apiece, on the event loop; a claim batch sends thousands.
 */
export function isoArray(instants: readonly (Date | null)[]): (string | null)[] {
  const text = instantText();
  return instants.map((d) => (d === null ? null : text(d)));
}

/** Which of `n` compare-and-set moves took, in the order given, from the ordinals (1-based) a statement returned. */
export function movedFlags(n: number, moved: readonly { i: number }[]): boolean[] {
  const flags = new Array<boolean>(n).fill(false);
  for (const { i } of moved) flags[i - 1] = true;
  return flags;
}

/** Statements on the pool: each one commits on its own, on whichever connection is free. */
export function poolQueryable(pool: pg.Pool): Queryable {
  return {
    inTransaction: false,
    async rows<R extends pg.QueryResultRow>(text: string, values?: Values, name?: string) {
      try {
        return (await pool.query<R>({ text, values: values as unknown[], name })).rows;
      } catch (err) {
        throw translateError(err, pool);
      }
    },
    async run(text, values) {
      try {
        return (await pool.query(text, values as unknown[])).rowCount ?? 0;
      } catch (err) {
        throw translateError(err, pool);
      }
    },
    atomic: (work) => inTransaction(pool, work),
  };
}

/**
 * A transaction on one pooled client: BEGIN, `work`, COMMIT; ROLLBACK if anything fails. PostgreSQL aborts a
 * transaction at its first failed statement and then turns COMMIT into ROLLBACK without an error, so a failure
 * that `work` caught and went past is remembered and thrown here rather than reported as a commit.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (q: TransactionQueryable) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw translateError(err, pool);
  }
  const q = new TransactionQueryable(client);
  let broken: Error | undefined;
  try {
    await q.begin();
    const result = await work(q);
    if (q.failure !== undefined) throw q.failure;
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackFailed) {
      // The connection itself is gone or unusable: it is not given back to the pool.
      broken = rollbackFailed as Error;
    }
    throw translateError(err);
  } finally {
    q.end();
    client.release(broken);
  }
}

/** The statements of one open transaction, all on its client. */
export class TransactionQueryable implements Queryable {
  readonly inTransaction = true;
  /** The first statement that failed: the transaction is aborted from then on. */
  failure: unknown;
  private ended = false;

  constructor(private readonly client: pg.PoolClient) {}

  /** After COMMIT or ROLLBACK the client goes back to the pool: a statement through a kept `tx` must not follow it there. */
  end(): void {
    this.ended = true;
  }

  async begin(): Promise<void> {
    await this.client.query('BEGIN');
  }

  async rows<R extends pg.QueryResultRow>(text: string, values?: Values, name?: string): Promise<R[]> {
    return (await this.query<R>(text, values, name)).rows;
  }

  async run(text: string, values?: Values): Promise<number> {
    return (await this.query(text, values)).rowCount ?? 0;
  }

  atomic<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    return work(this);
  }

  private async query<R extends pg.QueryResultRow>(text: string, values?: Values, name?: string): Promise<pg.QueryResult<R>> {
    if (this.ended) throw new Error('this transaction has ended: use the store, or a new transaction');
    try {
      return await this.client.query<R>({ text, values: values as unknown[], name });
    } catch (err) {
      this.failure ??= err;
      throw translateError(err);
    }
  }
}

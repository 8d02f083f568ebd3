import pg from 'pg';
import type { AppLogger } from '../../log.js';
import type { Database, DatabaseHealth, Repositories, Store } from '../../ports/store.js';
import { clientConfig, describePostgresUrl, inTransaction, isBusy, poolQueryable, type Queryable, redactSecrets } from './connection.js';
import { postgresEnrolments } from './enrolments.js';
import { postgresInstallations } from './installations.js';
import { postgresLedger } from './ledger.js';
import { postgresMocks } from './mocks.js';
import { postgresPace } from './pace.js';
import { postgresOAuthStates } from './oauth-states.js';
import { postgresPoints } from './points.js';
import { postgresQuiz } from './quiz.js';
import { postgresReports } from './reports.js';
import { postgresReviews } from './reviews.js';
import { postgresSubscriptions } from './subscriptions.js';
import { postgresUsers } from './users.js';
import { postgresWorkspaceSettings } from './workspace-settings.js';
import { postgresWorkspaces } from './workspaces.js';

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). A transaction holds one for its duration. */
  poolSize?: number;
  /**
   * How long one statement waits for a row or table lock another transaction holds before it fails with
   * StoreBusyError (which callers retry asynchronously); default 5 s. Request paths keep it short.
   */
  lockTimeoutMs?: number;
  /** How long to wait for a connection, new or free in the pool (default 10 s). */
  connectTimeoutMs?: number;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
const HEALTH_DEADLINE_MS = 5_000;

function repositories(q: Queryable): Repositories {
  return {
    users: postgresUsers(q),
    enrolments: postgresEnrolments(q),
    subscriptions: postgresSubscriptions(q),
    ledger: postgresLedger(q),
    quiz: postgresQuiz(q),
    points: postgresPoints(q),
    workspaces: postgresWorkspaces(q),
    workspaceSettings: postgresWorkspaceSettings(q),
    reports: postgresReports(q),
    reviews: postgresReviews(q),
    mocks: postgresMocks(q),
    pace: postgresPace(q),
    oauthStates: postgresOAuthStates(q),
    installations: postgresInstallations(q),
  };
}

class PostgresDatabase implements Database {
  readonly engine = 'postgres';
  private closing: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly poolSize: number,
  ) {}

  private poolState(): string {
    const p = this.pool;
    return `pool: ${p.totalCount}/${this.poolSize} connections, ${p.idleCount} idle, ${p.waitingCount} waiting`;
  }

  /**
   * A real read of two tables and a write-capable check, in one transaction that is rolled back: the server is
   * not a read-only standby, the session may write, and a ROW EXCLUSIVE lock on the ledger (what any INSERT or
   * UPDATE takes) is granted at once. If only another session's lock (a migration) stands in the way, the data
   * is fine: that is reported healthy, like SQLite's busy write lock. Nothing is written, so nothing bloats.
   */
  async health(): Promise<DatabaseHealth> {
    if (this.closing) return { ok: false, detail: 'the database connection pool is closed' };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<DatabaseHealth>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, detail: `PostgreSQL did not answer within ${HEALTH_DEADLINE_MS / 1000} s; ${this.poolState()}` }),
        HEALTH_DEADLINE_MS,
      );
    });
    try {
      return await Promise.race([this.check(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async check(): Promise<DatabaseHealth> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      return { ok: false, detail: `cannot connect to ${describePostgresUrl(this.url)}: ${this.redact(err)}; ${this.poolState()}` };
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL statement_timeout = ${HEALTH_DEADLINE_MS}`);
      try {
        await client.query('SELECT count(*) FROM (SELECT 1 FROM schema_migrations LIMIT 1) m');
        await client.query('SELECT count(*) FROM (SELECT 1 FROM deliveries ORDER BY id DESC LIMIT 1) d');
      } catch (err) {
        return { ok: false, detail: `cannot read: ${this.redact(err)}; ${this.poolState()}` };
      }
      const { rows } = await client.query<{ standby: boolean; read_only: string }>(
        "SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS read_only",
      );
      if (rows[0]?.standby) return { ok: false, detail: `cannot write: the server is a read-only standby (in recovery); ${this.poolState()}` };
      if (rows[0]?.read_only === 'on')
        return { ok: false, detail: `cannot write: the session is read-only (default_transaction_read_only); ${this.poolState()}` };
      try {
        await client.query('LOCK TABLE deliveries IN ROW EXCLUSIVE MODE NOWAIT');
      } catch (err) {
        if (isBusy(err)) return { ok: true, detail: `ok (another session holds a lock on the ledger); ${this.poolState()}` };
        return { ok: false, detail: `cannot write: ${this.redact(err)}; ${this.poolState()}` };
      }
      return { ok: true, detail: `ok; ${this.poolState()}` };
    } catch (err) {
      return { ok: false, detail: `${this.redact(err)}; ${this.poolState()}` };
    } finally {
      await client.query('ROLLBACK').catch((err: Error) => {
        broken = err;
      });
      client.release(broken);
    }
  }

  private redact(err: unknown): string {
    return redactSecrets((err as Error)?.message ?? String(err), this.url);
  }

  writesRefused(): string | undefined {
    // No local file to lose: whether PostgreSQL takes writes is a round trip away (health()).
    return undefined;
  }

  /**
   * Always true. Rows PostgreSQL deleted (forget-me) are no longer readable through SQL by any transaction that
   * starts afterwards; the adapter's own transactions are short READ COMMITTED ones, so only one whose snapshot
   * predates the delete (a pg_dump in progress, say) still sees them, until it ends. Their bytes stay in the
   * table files as dead tuples until VACUUM (autovacuum, soon after) reclaims the space and they are
   * overwritten; backups and WAL archives taken before then keep them, as with any database.
   */
  async purgeDeleted(): Promise<boolean> {
    return true;
  }

  /** Ends the pool: idle connections close now, busy ones when their work gives them back. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}

/**
 * The store over a pool for AIPATH_DB (a postgres:// URL whose schema is already migrated). Statements outside
 * a transaction each run on whichever connection is free and commit on their own; `transaction` holds one
 * connection from BEGIN to COMMIT. READ COMMITTED throughout: every compare-and-set is an UPDATE whose WHERE
 * PostgreSQL re-checks once a concurrent writer commits, and every "once" is a unique key with ON CONFLICT.
 */
export function postgresStore(url: string, logger: AppLogger, opts: PostgresStoreOptions = {}): Store {
  const poolSize = opts.poolSize ?? DEFAULT_POOL_SIZE;
  const pool = new pg.Pool({
    ...clientConfig(url, { lockTimeoutMs: opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, connectTimeoutMs: opts.connectTimeoutMs }),
    max: poolSize,
  });
  // An idle connection that fails (the server restarted, an administrator ended it) is dropped by the pool,
  // which reports it here; without a listener the error would end the process.
  pool.on('error', (err) => logger.warn(`PostgreSQL connection lost (${redactSecrets(err.message, url)}); the pool opens a new one when needed`));
  // A connection that fails while checked out (between two statements of a transaction or a health check) emits
  // its error on the client, where the pool listens only while it is idle: the statement in flight (or the next)
  // fails and the connection is dropped on release; the event itself must not end the process.
  pool.on('connect', (client) => {
    client.on('error', (err) => logger.warn(`PostgreSQL connection lost while in use (${redactSecrets(err.message, url)})`));
  });
  return {
    ...repositories(poolQueryable(pool)),
    database: new PostgresDatabase(pool, url, poolSize),
    transaction: (work) => inTransaction(pool, (q) => work(repositories(q))),
  };
}

import type { Database, Repositories, Store } from '../../ports/store.js';
import { BackgroundCheckpointer } from './checkpointer.js';
import { type Db, DatabaseWatch, isInMemory } from './connection.js';
import { sqliteEnrolments } from './enrolments.js';
import { ConnectionGate } from './gate.js';
import { sqliteInstallations } from './installations.js';
import { sqliteLedger } from './ledger.js';
import { sqliteMocks } from './mocks.js';
import { sqliteOAuthStates } from './oauth-states.js';
import { sqlitePace } from './pace.js';
import { sqlitePoints } from './points.js';
import { sqliteQuiz } from './quiz.js';
import { sqliteReports } from './reports.js';
import { sqliteReviews } from './reviews.js';
import { sqliteSubscriptions } from './subscriptions.js';
import { type Synchronous, translateError } from './sync.js';
import { sqliteUsers } from './users.js';
import { sqliteWorkspaceSettings } from './workspace-settings.js';
import { sqliteWorkspaces } from './workspaces.js';

type SyncRepositories = { [K in keyof Repositories]: Synchronous<Repositories[K]> };

function syncRepositories(db: Db): SyncRepositories {
  return {
    users: sqliteUsers(db),
    enrolments: sqliteEnrolments(db),
    subscriptions: sqliteSubscriptions(db),
    ledger: sqliteLedger(db),
    quiz: sqliteQuiz(db),
    points: sqlitePoints(db),
    workspaces: sqliteWorkspaces(db),
    workspaceSettings: sqliteWorkspaceSettings(db),
    reports: sqliteReports(db),
    reviews: sqliteReviews(db),
    mocks: sqliteMocks(db),
    pace: sqlitePace(db),
    oauthStates: sqliteOAuthStates(db),
    installations: sqliteInstallations(db),
  };
}

/** Each synchronous method made asynchronous by `call`, which decides when it may run. */
function asynchronous(sync: SyncRepositories, call: <T>(statement: () => T) => Promise<T>): Repositories {
  const wrap = (repo: object) =>
    Object.fromEntries(Object.entries(repo).map(([name, fn]) => [name, (...args: unknown[]) => call(() => (fn as (...a: unknown[]) => unknown)(...args))]));
  // The mapped object has exactly the port's methods with Promise results; TypeScript cannot follow
  // Object.fromEntries, so the port's type is restored here once.
  return Object.fromEntries(Object.entries(sync).map(([name, repo]) => [name, wrap(repo)])) as unknown as Repositories;
}

async function settle<T>(statement: () => T): Promise<T> {
  try {
    return statement();
  } catch (err) {
    throw translateError(err);
  }
}

class SqliteDatabase implements Database {
  readonly engine = 'sqlite';
  constructor(
    private readonly db: Db,
    private readonly watch: DatabaseWatch,
    private readonly gate: ConnectionGate,
    private readonly checkpointer: BackgroundCheckpointer | undefined,
  ) {}

  health() {
    return this.gate.run(() => this.watch.check());
  }

  writesRefused() {
    return this.watch.fileProblem();
  }

  purgeDeleted() {
    return this.gate.run(() => {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
      return !result || (result.busy === 0 && result.checkpointed === result.log);
    });
  }

  async close() {
    await this.checkpointer?.close();
    await this.gate.run(() => this.db.close());
  }
}

/** The store over one open, migrated SQLite connection; `path` is what AIPATH_DB named. */
export function sqliteStore(db: Db, path: string): Store {
  const gate = new ConnectionGate();
  const sync = syncRepositories(db);
  const repositories = asynchronous(sync, (statement) => gate.run(statement).catch((err: unknown) => Promise.reject(translateError(err))));
  const inTransaction = asynchronous(sync, settle);
  return {
    ...repositories,
    database: new SqliteDatabase(db, new DatabaseWatch(db, path), gate, isInMemory(path) ? undefined : new BackgroundCheckpointer(db, path)),
    transaction: (work) =>
      gate.exclusive(async () => {
        try {
          db.exec('BEGIN IMMEDIATE');
        } catch (err) {
          throw translateError(err);
        }
        try {
          const result = await work(inTransaction);
          db.exec('COMMIT');
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw translateError(err);
        }
      }),
  };
}

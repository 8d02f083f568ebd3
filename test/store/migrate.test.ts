import { cpSync, mkdtempSync, readdirSync, rmSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/connection.js';
import { migrate, MigrationError, MIGRATIONS_DIR } from '../../src/store/sqlite/migrate.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'aipath-mig-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migrate', () => {
  it('applies every migration to a fresh database, with WAL and foreign keys on', () => {
    const db = openDatabase(join(tempDir(), 'a.db'));
    const result = migrate(db);
    expect(result.applied).toEqual(
      readdirSync(MIGRATIONS_DIR)
        .filter((f) => f.endsWith('.sql'))
        .sort(),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['users', 'enrolments', 'subscriptions', 'deliveries', 'schema_migrations']));
    db.close();
  });

  it('is a no-op when run again', () => {
    const path = join(tempDir(), 'b.db');
    const db = openDatabase(path);
    migrate(db);
    const again = migrate(db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThan(0);
    db.close();
  });

  it('refuses an applied migration whose file was edited, and changes nothing', () => {
    const migrations = tempDir();
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    const db = openDatabase(join(tempDir(), 'c.db'));
    migrate(db, migrations);
    appendFileSync(join(migrations, '001_init.sql'), '\n-- an edit\n');
    writeFileSync(join(migrations, '999_later.sql'), 'CREATE TABLE later (id INTEGER);');
    expect(() => migrate(db, migrations)).toThrow(MigrationError);
    expect(() => migrate(db, migrations)).toThrow(/001_init\.sql was changed after it was applied/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'later'").get()).toBeUndefined();
    db.close();
  });

  it('rolls back a failing migration as a whole', () => {
    const migrations = tempDir();
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    writeFileSync(join(migrations, '900_broken.sql'), 'CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1);');
    const db = openDatabase(join(tempDir(), 'd.db'));
    expect(() => migrate(db, migrations)).toThrow(/no such table: nowhere/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations WHERE version = 900').get()).toEqual({ n: 0 });
    db.close();
  });

  it('lets two connections (bot and tick) migrate the same file safely', () => {
    const path = join(tempDir(), 'e.db');
    const a = openDatabase(path);
    const b = openDatabase(path);
    const first = migrate(a);
    const second = migrate(b);
    expect(first.applied.length + second.applied.length).toBe(readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length);
    a.close();
    b.close();
  });
});

describe('the ledger takes new delivery kinds without a table rebuild', () => {
  it('keeps existing deliveries and the quiz posts that point at them through 007, and then accepts any kind', () => {
    const before = tempDir();
    for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < '007')) cpSync(join(MIGRATIONS_DIR, f), join(before, f));
    const db = openDatabase(join(tempDir(), 'kinds.db'));
    migrate(db, before);
    const now = '2026-11-30T09:00:00.000Z';
    db.prepare(
      "INSERT INTO deliveries (id, workspace_id, kind, target, period, due_at, status, updated_at) VALUES (7, 'T1', 'daily_quiz', 'C1', '2026-11-30', ?, 'sent', ?)",
    ).run(now, now);
    db.prepare("INSERT INTO quiz_posts (workspace_id, channel_id, question_id, delivery_id, posted_at) VALUES ('T1', 'C1', 'q-x', 7, ?)").run(now);
    expect(() =>
      db
        .prepare(
          "INSERT INTO deliveries (workspace_id, kind, target, period, due_at, status, updated_at) VALUES ('T1', 'review_reminder', 'U1', 'x', ?, 'sent', ?)",
        )
        .run(now, now),
    ).toThrow(/CHECK/);

    expect(migrate(db).applied).toContain('007_open_delivery_kinds.sql');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT d.kind, q.question_id FROM quiz_posts q JOIN deliveries d ON d.id = q.delivery_id').all()).toEqual([
      { kind: 'daily_quiz', question_id: 'q-x' },
    ]);
    db.prepare(
      "INSERT INTO deliveries (workspace_id, kind, target, period, due_at, status, updated_at) VALUES ('T1', 'review_reminder', 'U1', 'x', ?, 'sent', ?)",
    ).run(now, now);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    db.close();
  });
});

describe('who paused a learner is a value of its own (009)', () => {
  it('turns the old "Slack: " prefix into paused_by and keeps the reason without it', () => {
    const before = tempDir();
    for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < '009')) cpSync(join(MIGRATIONS_DIR, f), join(before, f));
    const db = openDatabase(join(tempDir(), 'paused.db'));
    migrate(db, before);
    const now = '2026-11-30T09:00:00.000Z';
    db.prepare("INSERT INTO users (workspace_id, user_id, created_at) VALUES ('T1', 'U1', ?), ('T1', 'U2', ?)").run(now, now);
    db.prepare(
      `INSERT INTO enrolments (workspace_id, user_id, track_id, started_on, status, status_reason, is_current, created_at, updated_at)
       VALUES ('T1', 'U1', 'devops', '2026-11-30', 'paused', 'Slack: user_not_found', 1, ?, ?), ('T1', 'U2', 'devops', '2026-11-30', 'paused', 'by you', 1, ?, ?)`,
    ).run(now, now, now, now);
    db.prepare(
      "INSERT INTO subscriptions (workspace_id, channel_id, tz, status, status_reason, created_by, created_at, updated_at) VALUES ('T1', 'C1', 'UTC', 'paused', 'Slack: channel_not_found', 'U1', ?, ?)",
    ).run(now, now);
    expect(migrate(db).applied).toContain('009_paused_by.sql');
    expect(db.prepare('SELECT user_id, status_reason, paused_by FROM enrolments ORDER BY user_id').all()).toEqual([
      { user_id: 'U1', status_reason: 'user_not_found', paused_by: 'slack' },
      { user_id: 'U2', status_reason: 'by you', paused_by: 'learner' },
    ]);
    expect(db.prepare('SELECT status_reason FROM subscriptions').get()).toEqual({ status_reason: 'channel_not_found' });
    db.close();
  });
});

describe('cards count their answers (012)', () => {
  it('fills the counts from the review log of each card', () => {
    const before = tempDir();
    for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < '012')) cpSync(join(MIGRATIONS_DIR, f), join(before, f));
    const db = openDatabase(join(tempDir(), 'counts.db'));
    migrate(db, before);
    const now = '2026-11-30T09:00:00.000Z';
    db.prepare("INSERT INTO users (workspace_id, user_id, created_at) VALUES ('T1', 'U1', ?)").run(now);
    db.prepare(
      `INSERT INTO memory_cards (workspace_id, user_id, question_id, due_at, stability, difficulty, elapsed_days, scheduled_days, learning_steps,
         reps, lapses, state, last_review_at, updated_at) VALUES ('T1', 'U1', 'q-1', ?, 1, 5, 0, 0, 0, 3, 1, 'review', ?, ?)`,
    ).run(now, now, now);
    const log = db.prepare(
      `INSERT INTO review_log (workspace_id, user_id, question_id, source, rating, state, due_at, stability, difficulty, elapsed_days,
         last_elapsed_days, scheduled_days, learning_steps, reviewed_at) VALUES ('T1', 'U1', ?, 'review', ?, 'review', ?, 1, 5, 0, 0, 0, 0, ?)`,
    );
    for (const [q, rating] of [
      ['q-1', 'good'],
      ['q-1', 'again'],
      ['q-1', 'hard'],
      ['q-2', 'good'],
    ])
      log.run(q, rating, now, now);
    expect(migrate(db).applied).toContain('012_card_answer_counts.sql');
    expect(db.prepare('SELECT question_id, answered, right_answers FROM memory_cards').all()).toEqual([{ question_id: 'q-1', answered: 3, right_answers: 2 }]);
    db.close();
  });
});

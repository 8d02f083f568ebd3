import { statSync } from 'node:fs';
import type { Caller } from '../src/services/context.js';
import { standings } from '../src/services/leaderboard.js';
import { presentStandings } from '../src/slack/presenters/leaderboard.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { buildContainer } from '../src/container.js';
import { openDatabase } from '../src/store/sqlite/connection.js';
import { migrate } from '../src/store/sqlite/migrate.js';
import { median, tempDb } from './support.js';

const WS = 'T0BENCH001';
const CHANNEL = 'C0BENCH001';

/** Issue 6: 100,000 learners and 5,000,000 scored answers; the weekly top 10 plus one learner's rank. */
export async function benchLeaderboard(learners = 100_000, answers = 5_000_000, days = 365): Promise<string[]> {
  const path = tempDb();
  // Bulk seeding in raw SQL, which the ports deliberately do not offer: a connection of its own, closed before the container opens the file.
  const db = openDatabase(path);
  migrate(db);
  const start = Date.parse('2025-11-23T09:00:00Z');
  const seedStarted = performance.now();
  db.transaction(() => {
    const user = db.prepare("INSERT INTO users (workspace_id, user_id, created_at) VALUES (?, ?, '2025-11-01')");
    const team = db.prepare('INSERT INTO quiz_team (workspace_id, channel_id, user_id) VALUES (?, ?, ?)');
    for (let i = 0; i < learners; i++) {
      const id = `U${String(i).padStart(9, '0')}`;
      user.run(WS, id);
      team.run(WS, CHANNEL, id);
    }
    const post = db.prepare('INSERT INTO quiz_posts (workspace_id, channel_id, question_id, message_ts, posted_at, closed_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (let d = 0; d < days; d++) {
      const at = new Date(start + d * 86_400_000).toISOString();
      post.run(WS, CHANNEL, `q-${d % 120}`, `${d}.0`, at, at);
    }
  })();
  // Answers: each day's post is answered by a different slice of learners; 60% are right.
  const answer = db.prepare(
    'INSERT INTO quiz_answers (workspace_id, user_id, question_id, quiz_post_id, option_index, correct, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const points = db.prepare("INSERT INTO points (workspace_id, user_id, kind, ref, points, channel_id, earned_at) VALUES (?, ?, 'channel_quiz', ?, 10, ?, ?)");
  const perDay = Math.ceil(answers / days);
  let written = 0;
  for (let d = 0; d < days && written < answers; d++) {
    db.transaction(() => {
      const at = new Date(start + d * 86_400_000 + 3_600_000).toISOString();
      for (let k = 0; k < perDay && written < answers; k++, written++) {
        const u = `U${String((d * 7919 + k) % learners).padStart(9, '0')}`;
        const correct = (k * 2654435761) % 10 < 6;
        answer.run(WS, u, `q-${d % 120}`, d + 1, 0, correct ? 1 : 0, at);
        if (correct) points.run(WS, u, `post:${d + 1}`, CHANNEL, at);
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const size = statSync(path).size / 1024 / 1024;

  const container = await buildContainer(loadConfig({ AIPATH_DB: path }), { logger: createLogger('error') });
  const { services } = container;

  const now = new Date(start + (days - 3) * 86_400_000);
  const deps = { ...services.study };
  const ctx: Caller = { workspaceId: WS, userId: 'U000012345', channelId: CHANNEL, now, profile: async () => ({ tz: 'UTC', isAdmin: false }) };
  const times: number[] = [];
  let text = '';
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    text = presentStandings(await standings(deps, ctx, 'week')).text;
    times.push(performance.now() - t0);
  }
  const monthTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    presentStandings(await standings(deps, ctx, 'month'));
    monthTimes.push(performance.now() - t0);
  }
  await container.close();
  return [
    `leaderboard (${learners.toLocaleString('en')} learners in one workspace and channel team, ${written.toLocaleString('en')} scored answers over ${days} days; seeded in ${seedSeconds.toFixed(0)} s)`,
    `  weekly top 10 + the caller's rank (team and workspace boards): median ${median(times).toFixed(1)} ms over 15 runs (first run ${times[0]!.toFixed(1)} ms)`,
    `  monthly board: median ${median(monthTimes).toFixed(1)} ms over 5 runs`,
    `  database size ${size.toFixed(0)} MB`,
    `  sample: ${text.slice(0, 100)}`,
  ];
}

import { loadConfig } from '../src/config.js';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { signedHeaders } from '../test/support/signed.js';
import { createLogger } from '../src/log.js';
import { buildContainer } from '../src/container.js';
import { newCard, review } from '../src/domain/review/memory.js';
import { launch, median, percentile, SECRET, tempDb } from './support.js';

const WS = 'T0ACKBNCH1';
const COMMANDS = ['service bedrock', 'cert aip-c01', 'status', 'leaderboard', 'review', 'readiness'];
/** Memory cards of each learner (every one answered twice: a personal quiz, then a review), so review and readiness do real work. */
const CARDS = 40;

/** A workspace with learners, points and a caller on a track, so status and leaderboard do real work. */
export async function seed(path: string): Promise<void> {
  const container = await buildContainer(loadConfig({ AIPATH_DB: path }), { logger: createLogger('error') });
  const now = new Date('2026-11-23T10:00:00Z');
  const bank = container.services.content.quiz.map((q) => q.id);
  try {
    await container.services.store.transaction(async (tx) => {
      for (let i = 0; i < 2000; i++) {
        const user = `U${String(i).padStart(8, '0')}`;
        await tx.users.ensure(WS, user, now);
        await tx.users.setProfile(WS, user, { tz: 'Europe/London', isWorkspaceAdmin: false }, now);
        const { enrolment } = await tx.enrolments.switchTo(WS, user, 'devops', '2026-11-02', now);
        await tx.enrolments.markDone(enrolment.id, 1, now);
        await tx.points.award(WS, user, 'milestone', `${enrolment.id}:1`, 25 + (i % 7), now);
        await tx.points.markStudyDay(WS, user, '2026-11-23');
        await tx.users.setExamTarget(WS, user, { cert: 'aip-c01', date: '2027-03-01' });
        for (let k = 0; k < CARDS; k++) {
          const question = bank[(i * 7 + k) % bank.length]!;
          let card = newCard(now);
          for (let r = 0; r < 2; r++) {
            const at = new Date(now.getTime() + k * 3_600_000 + r * 86_400_000);
            const graded = review(card, (i + k + r) % 5 === 0 ? 'again' : 'good', at);
            if (r === 0) await tx.quiz.answer(WS, user, question, null, [0], (i + k) % 5 !== 0, at);
            await tx.reviews.saveReview(WS, user, question, graded.card, graded.log, r === 0 ? 'personal_quiz' : 'review');
            card = graded.card;
          }
        }
      }
    });
  } finally {
    await container.close();
  }
}

export async function load(url: string, text: string, total: number, concurrency: number): Promise<number[]> {
  const latencies: number[] = [];
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      const i = sent++;
      const body = new URLSearchParams({
        command: '/aipath',
        text,
        team_id: WS,
        user_id: `U${String(i % 2000).padStart(8, '0')}`,
        channel_id: 'C0ACKBNCH1',
        response_url: 'http://127.0.0.1:9/r',
        trigger_id: 't',
      }).toString();
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(SECRET, body) }, body });
      await res.text();
      latencies.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`HTTP ${res.status} for "${text}"`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

/** Issue 4: signed POST → acknowledgement, 50 concurrent, aipath beside a bare Bolt app. */
export async function benchAck(perCommand = 2000, concurrency = 50): Promise<string[]> {
  const fake = await new ScriptableFakeSlack().start();
  const db = tempDb();
  await seed(db);
  const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, LOG_LEVEL: 'error' };
  const aipath = await launch(process.execPath, ['dist/cli.js', 'start'], { ...env, AIPATH_DB: db });
  const bare = await launch(process.execPath, ['bench/bare-bolt.mjs'], env);
  const lines = [`ack latency (signed POST /slack/events → response; ${perCommand} requests per command, ${concurrency} concurrent; 2,000 seeded learners)`];
  try {
    for (const text of COMMANDS) {
      // Warm both up (JIT, caches) before measuring.
      await load(`http://127.0.0.1:${aipath.port}/slack/events`, text, 200, concurrency);
      await load(`http://127.0.0.1:${bare.port}/slack/events`, text, 200, concurrency);
      const a = await load(`http://127.0.0.1:${aipath.port}/slack/events`, text, perCommand, concurrency);
      const b = await load(`http://127.0.0.1:${bare.port}/slack/events`, text, perCommand, concurrency);
      lines.push(
        `  ${text.padEnd(16)} aipath p50 ${median(a).toFixed(1)} ms, p99 ${percentile(a, 99).toFixed(1)} ms | bare p50 ${median(b).toFixed(1)} ms, p99 ${percentile(b, 99).toFixed(1)} ms | ratio p50 ×${(median(a) / median(b)).toFixed(2)}, p99 ×${(percentile(a, 99) / percentile(b, 99)).toFixed(2)}`,
      );
    }
  } finally {
    await aipath.stop();
    await bare.stop();
    await fake.stop();
  }
  return lines;
}

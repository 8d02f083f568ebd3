import { forTrack } from '../../domain/pools.js';
import { pickRotating } from '../../domain/rotation.js';
import { errorMessage } from '../../shared/errors.js';
import { channelQuizView, closedQuizView } from '../../slack/views/quiz.js';
import type { Subscription } from '../../ports/store.js';
import { teamFocus } from '../../services/team.js';
import { pauseChannel } from './channel.js';
import type { DeliveryKindSpec } from './kind.js';

/** The channel's quiz of the day; posting it closes the ones before it, showing the answer and how the team did. */
export const dailyQuiz: DeliveryKindSpec<Subscription> = {
  kind: 'daily_quiz',
  // The quiz post (and so the question) is chosen with the claim: its id goes on the answer buttons.
  async prepare({ tx, content, now }, sub, row) {
    if (await tx.quiz.postForDelivery(row.id)) return;
    const pool = forTrack(content.quiz, sub.trackId);
    // The team's weakest domain of its exam gets the question, while it has any.
    const focus = await teamFocus(tx, content, sub, now);
    const weakest = focus && pool.filter((q) => q.cert === focus.cert.id && q.domain === focus.weakest);
    const q = pickRotating(weakest?.length ? weakest : pool, await tx.quiz.postCounts(sub.workspaceId, sub.channelId), `${sub.channelId}:${row.period}:quiz`);
    if (q) await tx.quiz.createPost(sub.workspaceId, sub.channelId, q.id, row.id, now);
  },
  async compose({ services: { content, store } }, sub, row) {
    const post = await store.quiz.postForDelivery(row.id);
    const question = post && content.question(post.questionId);
    if (!post || !question) return undefined;
    return { channel: sub.channelId, message: channelQuizView(question, post.id, 0, row.late), contentId: question.id };
  },
  async afterSent({ services: { content, store }, slack, logger, now }, sub, row, sent) {
    const post = await store.quiz.postForDelivery(row.id);
    if (!post) return;
    await store.quiz.setMessageTs(post.id, sent.ts);
    for (const old of await store.quiz.openBefore(sub.workspaceId, sent.channel, post.id)) {
      const q = content.question(old.questionId);
      if (!(await store.quiz.close(old.id, now)) || !q || !old.messageTs) continue;
      try {
        await slack.update(sent.channel, old.messageTs, closedQuizView(q, await store.quiz.tally(old.id)));
      } catch (err) {
        logger.warn(`could not show the closed quiz ${old.id} in ${sent.channel}: ${errorMessage(err)}`);
      }
    }
  },
  onTargetError: pauseChannel,
};

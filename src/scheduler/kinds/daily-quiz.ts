import { forTrack } from '../../core/pools.js';
import { pickRotating } from '../../core/rotation.js';
import { errorMessage } from '../../shared/errors.js';
import { channelQuizView, closedQuizView } from '../../slack/views/quiz.js';
import type { SubscriptionRow } from '../../store/subscriptions.js';
import { pauseChannel } from './channel.js';
import type { DeliveryKindSpec } from './kind.js';

/** The channel's quiz of the day; posting it closes the ones before it, showing the answer and how the team did. */
export const dailyQuiz: DeliveryKindSpec<SubscriptionRow> = {
  kind: 'daily_quiz',
  // The quiz post (and so the question) is chosen with the claim: its id goes on the answer buttons.
  prepare({ content, stores }, sub, row, now) {
    if (stores.quiz.postForDelivery(row.id)) return;
    const q = pickRotating(
      forTrack(content.quiz, sub.track_id),
      stores.quiz.postCounts(sub.workspace_id, sub.channel_id),
      `${sub.channel_id}:${row.period}:quiz`,
    );
    if (q) stores.quiz.createPost(sub.workspace_id, sub.channel_id, q.id, row.id, now);
  },
  async compose({ services: { content, stores } }, sub, row) {
    const post = stores.quiz.postForDelivery(row.id);
    const question = post && content.question(post.question_id);
    if (!post || !question) return undefined;
    return { channel: sub.channel_id, message: channelQuizView(question, post.id, 0, row.late === 1), contentId: question.id };
  },
  async afterSent({ services: { content, stores }, slack, logger, now }, sub, row, sent) {
    const post = stores.quiz.postForDelivery(row.id);
    if (!post) return;
    stores.quiz.setMessageTs(post.id, sent.ts);
    for (const old of stores.quiz.openBefore(sub.workspace_id, sent.channel, post.id)) {
      const q = content.question(old.question_id);
      if (!stores.quiz.close(old.id, now) || !q || !old.message_ts) continue;
      try {
        await slack.update(sent.channel, old.message_ts, closedQuizView(q, stores.quiz.tally(old.id)));
      } catch (err) {
        logger.warn(`could not show the closed quiz ${old.id} in ${sent.channel}: ${errorMessage(err)}`);
      }
    }
  },
  onTargetError: pauseChannel,
};

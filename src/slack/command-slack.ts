import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { errorMessage } from '../shared/errors.js';
import { classifySlackError, type SlackFailure } from './errors.js';
import type { Message } from './views/blocks.js';

/** A file to upload: its name, title, content (text) and the comment posted with it. */
export interface UploadFile {
  filename: string;
  title: string;
  content: string;
  comment: string;
}

/**
 * The Web API calls a slash command makes while it answers, through the request's own client (which carries the
 * token of the workspace the request came from). A refusal from Slack is logged and comes back as the reason
 * Slack gave (`not_in_channel`, `missing_scope`, `rate_limited`, `http_500`…), for the reply to explain.
 */
export interface CommandSlack {
  /** Posts a message in a channel as aipath. */
  post(channel: string, message: Message): Promise<SlackOutcome>;
  /** Uploads a file into aipath's direct message with `user` (files.uploadV2). */
  uploadToDm(user: string, file: UploadFile): Promise<SlackOutcome>;
}

/** How a call went; a refusal says what it concerns (SlackFailure's kind: `target` is the channel or user itself). */
export type SlackOutcome = { ok: true } | { ok: false; reason: string; kind: SlackFailure['kind'] };

const OpenResponse = z.object({ channel: z.object({ id: z.string() }) });

export function commandSlack(client: WebClient, logger: { warn(message: string): void }): CommandSlack {
  const refused = (what: string, err: unknown): SlackOutcome => {
    const failure = classifySlackError(err);
    logger.warn(`${what} failed (${failure.kind}): ${failure.kind === 'transient' ? errorMessage(err) : failure.reason}`);
    return { ok: false, reason: failure.reason, kind: failure.kind };
  };
  return {
    async post(channel, message) {
      try {
        await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
        return { ok: true };
      } catch (err) {
        return refused(`chat.postMessage to ${channel}`, err);
      }
    },
    async uploadToDm(user, file) {
      try {
        const dm = OpenResponse.parse(await client.conversations.open({ users: user })).channel.id;
        await client.filesUploadV2({
          channel_id: dm,
          filename: file.filename,
          title: file.title,
          content: file.content,
          initial_comment: file.comment,
        });
        return { ok: true };
      } catch (err) {
        return refused(`uploading ${file.filename} to ${user}`, err);
      }
    },
  };
}

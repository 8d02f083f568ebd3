import type { App } from '@slack/bolt';
import { handleCommandText } from '../../../commands/index.js';
import { ephemeral, type Reply } from '../../../commands/context.js';
import { noticeView } from '../../views/help.js';
import { commandContext, type SlackDeps } from '../../deps.js';
import { SlashCommandPayload, workspaceKey } from '../../payload.js';
import { refreshHome } from '../events/app-home.js';

export const SORRY = ephemeral(noticeView('Sorry, something went wrong on our side and nothing was changed. Please try again in a minute.', ':warning:'));

/** `/aipath …`: parse, answer, and acknowledge with the answer itself (one round trip, well inside 3 s). */
export function registerAipathCommand(app: App, deps: SlackDeps): void {
  app.command('/aipath', async ({ command, ack, client, logger }) => {
    const payload = SlashCommandPayload.safeParse(command);
    if (!payload.success) {
      logger.warn(`slash command with unexpected fields: ${payload.error.issues[0]?.path.join('.')}`);
      await ack(toAck(SORRY));
      return;
    }
    const p = payload.data;
    let reply: Reply;
    const workspaceId = workspaceKey(p.team_id, p.enterprise_id);
    try {
      const ctx = commandContext(deps, client, { workspaceId, userId: p.user_id, channelId: p.channel_id });
      reply = await handleCommandText(deps.study, ctx, p.text);
    } catch (err) {
      logger.error('/aipath failed', err);
      reply = SORRY;
    }
    await ack(toAck(reply));
    if (reply.refreshHome) await refreshHome(deps, client, workspaceId, p.user_id);
  });
}

export const toAck = (r: Reply) => ({ response_type: r.responseType, text: r.text, blocks: r.blocks });

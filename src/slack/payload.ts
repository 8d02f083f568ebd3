import { z } from 'zod';
import { ACTION_ID_MAX, QUIZ_PICK, VALUE_MAX } from './action-ids.js';

/** The fields of Slack payloads that aipath relies on; anything else Slack sends is ignored. */
const slackId = z.string().regex(/^[A-Z0-9]{2,}$/);

export const SlashCommandPayload = z.object({
  team_id: slackId,
  enterprise_id: slackId.optional().or(z.literal('')),
  user_id: slackId,
  channel_id: slackId,
  /** 'directmessage' in a DM; a group DM's is 'mpdm-…'. */
  channel_name: z.string().max(200).optional(),
  text: z.string().default(''),
  /** Where the answer goes (Slack always sends one; without it, Bolt's respond is used as it stands). */
  response_url: z.url({ protocol: /^https?$/ }).optional(),
  is_enterprise_install: z.union([z.string(), z.boolean()]).optional(),
});
export type SlashCommand = z.infer<typeof SlashCommandPayload>;

const PickerState = z.object({
  selected_options: z.array(z.object({ value: z.string() })).optional(),
  selected_option: z.object({ value: z.string() }).nullable().optional(),
});

export const BlockActionPayload = z
  .object({
    team: z.object({ id: slackId }).nullable().optional(),
    enterprise: z.object({ id: slackId }).nullable().optional(),
    user: z.object({ id: slackId, team_id: slackId.optional() }),
    channel: z.object({ id: slackId }).nullable().optional(),
    container: z.object({ channel_id: slackId.optional(), message_ts: z.string().optional(), is_ephemeral: z.boolean().optional() }).passthrough().optional(),
    actions: z.array(z.object({ action_id: z.string().max(ACTION_ID_MAX), value: z.string().max(VALUE_MAX).optional() })).min(1),
    // The message's pickers as the clicker left them (checkboxes, menus): Slack sends them with every click.
    state: z.object({ values: z.record(z.string(), z.record(z.string(), PickerState)) }).optional(),
  })
  // Org-wide installs may send `team: null` with the team on the user; with neither, the click
  // belongs to no workspace and is refused.
  .transform((a, ctx) => {
    const teamId = a.team?.id ?? a.user.team_id;
    if (!teamId) {
      ctx.addIssue({ code: 'custom', path: ['team'], message: 'names no workspace' });
      return z.NEVER;
    }
    return { ...a, teamId };
  });
export type BlockAction = z.infer<typeof BlockActionPayload>;

const EventCallback = z.object({ type: z.literal('event_callback'), team_id: slackId, event: z.object({ type: z.string() }).passthrough() });

/** Every request body the HTTP receiver passes on: what aipath handles, in the shape Slack sends it. */
export const InboundBody = z.union([
  z.object({ type: z.literal('url_verification'), challenge: z.string().max(500) }),
  EventCallback,
  z.object({ type: z.literal('block_actions') }).and(BlockActionPayload),
  SlashCommandPayload.extend({ command: z.string().startsWith('/') }),
]);

export const AppHomeOpenedEvent = z.object({ user: slackId, tab: z.string().optional() });

export const UsersInfoResponse = z.object({
  user: z
    .object({
      tz: z.string().nullish(),
      name: z.string().nullish(),
      real_name: z.string().nullish(),
      profile: z.object({ display_name: z.string().nullish(), real_name: z.string().nullish() }).partial().nullish(),
      is_admin: z.boolean().optional(),
      is_owner: z.boolean().optional(),
      is_primary_owner: z.boolean().optional(),
    })
    .optional(),
});

/** Whether a slash command came from a direct message (a DM's id starts with D) or a group DM. */
export function isDirectMessage(channelId: string, channelName?: string): boolean {
  return channelId.startsWith('D') || channelName === 'directmessage' || (channelName?.startsWith('mpdm-') ?? false);
}

/** Team IDs repeat across Enterprise Grid orgs only with the enterprise prefix, so both form the key. */
export function workspaceKey(teamId: string, enterpriseId?: string | null): string {
  return enterpriseId ? `${enterpriseId}:${teamId}` : teamId;
}

/** What each quiz picker (checkboxes or a menu, by slot) holds as the clicker left it: option indices. */
export function quizPicksFromState(state: BlockAction['state']): Map<number, number[]> {
  const picks = new Map<number, number[]>();
  for (const block of Object.values(state?.values ?? {})) {
    for (const [actionId, picker] of Object.entries(block)) {
      const slot = QUIZ_PICK.slot(actionId);
      if (slot === undefined) continue;
      const chosen = picker.selected_options ?? (picker.selected_option ? [picker.selected_option] : []);
      // An option value that does not decode is left out: the answer then reads as incomplete or wrong.
      picks.set(
        slot,
        chosen.map((o) => QUIZ_PICK.decodeOption(o.value)).filter((n) => n !== undefined),
      );
    }
  }
  return picks;
}

import { z } from 'zod';

/** The fields of Slack payloads that aipath relies on; anything else Slack sends is ignored. */
const slackId = z.string().regex(/^[A-Z0-9]{2,}$/);

export const SlashCommandPayload = z.object({
  team_id: slackId,
  enterprise_id: slackId.optional().or(z.literal('')),
  user_id: slackId,
  channel_id: slackId,
  text: z.string().default(''),
  is_enterprise_install: z.union([z.string(), z.boolean()]).optional(),
});
export type SlashCommand = z.infer<typeof SlashCommandPayload>;

export const BlockActionPayload = z.object({
  team: z.object({ id: slackId }).nullable().optional(),
  enterprise: z.object({ id: slackId }).nullable().optional(),
  user: z.object({ id: slackId, team_id: slackId.optional() }),
  channel: z.object({ id: slackId }).optional(),
  container: z.object({ channel_id: slackId.optional(), message_ts: z.string().optional() }).passthrough().optional(),
  actions: z.array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() })).min(1),
});
export type BlockAction = z.infer<typeof BlockActionPayload>;

export const AppHomeOpenedEvent = z.object({ user: slackId, tab: z.string().optional() });

export const UsersInfoResponse = z.object({
  user: z
    .object({
      tz: z.string().nullish(),
      is_admin: z.boolean().optional(),
      is_owner: z.boolean().optional(),
      is_primary_owner: z.boolean().optional(),
    })
    .optional(),
});

/** Team IDs repeat across Enterprise Grid orgs only with the enterprise prefix, so both form the key. */
export function workspaceKey(teamId: string, enterpriseId?: string | null): string {
  return enterpriseId ? `${enterpriseId}:${teamId}` : teamId;
}

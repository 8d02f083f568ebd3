import type { KnownBlock, Button } from '@slack/types';
import { truncate } from '../../domain/text.js';
import { ACTION_ID_MAX, VALUE_MAX } from '../action-ids.js';

/** Slack's Block Kit limits (DESIGN.md): beyond them Slack rejects the whole message. */
export const BLOCK_LIMITS = {
  messageBlocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  actionId: ACTION_ID_MAX,
  buttonValue: VALUE_MAX,
  contextElements: 10,
  fallbackText: 3000,
} as const;

export type Block = KnownBlock;

/** What every view returns: blocks plus the plain text that notifications and screen readers show. */
export interface Message {
  text: string;
  blocks: Block[];
}

export const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: truncate(text, BLOCK_LIMITS.headerText), emoji: true } });

export const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, BLOCK_LIMITS.sectionText) } });

export const fields = (items: string[]): Block => ({
  type: 'section',
  fields: items.slice(0, BLOCK_LIMITS.fields).map((t) => ({ type: 'mrkdwn', text: truncate(t, BLOCK_LIMITS.fieldText) })),
});

export const context = (...items: string[]): Block => ({
  type: 'context',
  elements: items.slice(0, BLOCK_LIMITS.contextElements).map((t) => ({ type: 'mrkdwn', text: truncate(t, BLOCK_LIMITS.sectionText) })),
});

export const divider = (): Block => ({ type: 'divider' });

export interface ButtonSpec {
  text: string;
  actionId: string;
  value?: string;
  style?: 'primary' | 'danger';
  url?: string;
}

export function button(b: ButtonSpec): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(b.text, BLOCK_LIMITS.buttonText), emoji: true },
    action_id: b.actionId.slice(0, BLOCK_LIMITS.actionId),
    ...(b.value !== undefined ? { value: b.value.slice(0, BLOCK_LIMITS.buttonValue) } : {}),
    ...(b.style ? { style: b.style } : {}),
    ...(b.url ? { url: b.url } : {}),
  };
}

export const actions = (buttons: ButtonSpec[], blockId?: string): Block => ({
  type: 'actions',
  ...(blockId ? { block_id: blockId } : {}),
  elements: buttons.slice(0, 25).map(button),
});

/** Keeps a message inside the block limit; a cut message says so instead of being rejected. */
export function message(text: string, blocks: Block[], maxBlocks: number = BLOCK_LIMITS.messageBlocks): Message {
  const fitted = blocks.length <= maxBlocks ? blocks : [...blocks.slice(0, maxBlocks - 1), context('_…more than fits here; ask for a narrower view._')];
  return { text: truncate(text, BLOCK_LIMITS.fallbackText), blocks: fitted };
}

/** Slack mrkdwn treats &, < and > as control characters; user-supplied text must be escaped. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const link = (url: string, label: string) => `<${url}|${label.replace(/[|<>]/g, ' ')}>`;

/**
 * An instant as Slack shows it to each reader, in their own timezone and clock ("3:45 PM"); the fallback (clients that
 * cannot, notifications, the console) is the time in UTC.
 */
export function slackTime(at: Date): string {
  const fallback = `${at.toISOString().slice(11, 16)} UTC`;
  return `<!date^${Math.floor(at.getTime() / 1000)}^{time}|${fallback}>`;
}

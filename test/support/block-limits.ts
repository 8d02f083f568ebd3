import { BLOCK_LIMITS } from '../../src/slack/views/blocks.js';

interface T {
  text?: string;
}
interface B {
  type: string;
  text?: T;
  fields?: T[];
  elements?: { type: string; text?: T | string; action_id?: string; value?: string; options?: { text: T; value: string }[]; placeholder?: T }[];
}

/** Option text in menus and checkboxes, and menu placeholders (Block Kit). */
const OPTION_TEXT = 75;
const PLACEHOLDER_TEXT = 150;

/** Every Block Kit limit DESIGN.md lists, checked on a rendered message; returns what breaks. */
export function blockLimitViolations(blocks: unknown[], maxBlocks: number = BLOCK_LIMITS.messageBlocks): string[] {
  const out: string[] = [];
  if (blocks.length > maxBlocks) out.push(`${blocks.length} blocks > ${maxBlocks}`);
  (blocks as B[]).forEach((b, i) => {
    const len = (s: string | undefined) => (s ?? '').length;
    if (b.type === 'header' && len(b.text?.text) > BLOCK_LIMITS.headerText) out.push(`block ${i}: header ${len(b.text?.text)} chars`);
    if (b.type === 'section' && len(b.text?.text) > BLOCK_LIMITS.sectionText) out.push(`block ${i}: section ${len(b.text?.text)} chars`);
    if (b.fields && b.fields.length > BLOCK_LIMITS.fields) out.push(`block ${i}: ${b.fields.length} fields`);
    for (const f of b.fields ?? []) if (len(f.text) > BLOCK_LIMITS.fieldText) out.push(`block ${i}: field ${len(f.text)} chars`);
    for (const e of b.elements ?? []) {
      for (const o of e.options ?? []) if (len(o.text.text) > OPTION_TEXT) out.push(`block ${i}: option text ${len(o.text.text)} chars`);
      if (len(e.placeholder?.text) > PLACEHOLDER_TEXT) out.push(`block ${i}: placeholder ${len(e.placeholder?.text)} chars`);
      if (e.type !== 'button') continue;
      const label = typeof e.text === 'string' ? e.text : e.text?.text;
      if (len(label) > BLOCK_LIMITS.buttonText) out.push(`block ${i}: button text ${len(label)} chars`);
      if (len(e.action_id) > BLOCK_LIMITS.actionId) out.push(`block ${i}: action_id ${len(e.action_id)} chars`);
      if (len(e.value) > BLOCK_LIMITS.buttonValue) out.push(`block ${i}: button value ${len(e.value)} chars`);
    }
  });
  return out;
}

/** Texts the views had to cut short: content that does not fit where it is rendered. */
export function truncatedTexts(blocks: unknown[]): string[] {
  return JSON.stringify(blocks).match(/"text":"[^"]*…"/g) ?? [];
}

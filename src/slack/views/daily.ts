import type { Service, Tip } from '../../content/schema.js';
import { ACTIONS } from '../action-ids.js';
import { tipView } from './tip.js';
import { actions, context, message, type Message } from './blocks.js';

export function dailyTipView(tip: Tip, services: Service[], late: boolean): Message {
  const base = tipView(tip, services);
  return message(`Daily tip. ${base.text}`, [
    ...base.blocks,
    actions([{ text: 'Got it (counts for my streak)', ...ACTIONS.tipAck.ref() }]),
    ...(late ? [context('_Sent late: aipath was offline when this was due._')] : []),
  ]);
}

/** Turns Block Kit into terminal text: the console's view of what Slack would show. */

export interface RenderedButton {
  label: string;
  actionId: string;
  value?: string;
  blockId?: string;
}

/** A checkbox group or menu of a quiz, answered with `:answer` in the console. */
export interface RenderedPicker {
  actionId: string;
  blockId?: string;
  kind: 'checkboxes' | 'static_select';
  options: { label: string; value: string }[];
}

export interface Rendered {
  lines: string[];
  buttons: RenderedButton[];
  pickers: RenderedPicker[];
}

const EMOJI: Record<string, string> = {
  warning: '⚠',
  white_check_mark: '✔',
  tada: '🎉',
  mag: '🔎',
  information_source: 'ℹ',
  wave: '👋',
  lock: '🔒',
  calendar: '📅',
  construction: '🚧',
  large_green_circle: '●',
  double_vertical_bar: '⏸',
  arrow_forward: '▶',
  hourglass: '⌛',
  pushpin: '📌',
  brain: '🧠',
  rotating_light: '🚨',
  scales: '⚖',
  hammer_and_wrench: '🛠',
  compass: '🧭',
  wastebasket: '🗑',
  no_bell: '🔕',
  alarm_clock: '⏰',
  earth_africa: '🌍',
  trophy: '🏆',
  dart: '🎯',
  x: '✘',
  question: '❓',
  point_up: '☝',
  gear: '⚙',
  fire: '🔥',
  hourglass_flowing_sand: '⏳',
  sparkles: '✨',
  ice_cube: '🧊',
  memo: '📝',
  no_entry: '⛔',
  chart_with_upwards_trend: '📈',
  checkered_flag: '🏁',
  first_place_medal: '🥇',
  second_place_medal: '🥈',
  third_place_medal: '🥉',
  inbox_tray: '📥',
  globe_with_meridians: '🌐',
  loudspeaker: '📢',
  speech_balloon: '💬',
};

export function mrkdwnToText(s: string, ansi: boolean): string {
  return s
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/<#([A-Z0-9]+)(\|[^>]*)?>/g, '#$1')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/:([a-z_]+):/g, (m, name: string) => EMOJI[name] ?? m)
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, (_m, pre: string, inner: string) => (ansi ? `${pre}\x1b[1m${inner}\x1b[22m` : `${pre}${inner}`))
    .replace(/(^|[\s(])_([^_\n]+)_/g, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

interface TextObj {
  text?: string;
}
interface AnyBlock {
  type: string;
  block_id?: string;
  text?: TextObj;
  fields?: TextObj[];
  elements?: {
    type: string;
    text?: TextObj | string;
    action_id?: string;
    value?: string;
    options?: { text: TextObj; value: string }[];
    placeholder?: TextObj;
  }[];
}

/** Buttons are numbered from `firstNumber` so that `:click N` can press them. */
export function renderBlocks(blocks: unknown[], opts: { ansi: boolean; firstNumber?: number } = { ansi: false }): Rendered {
  const lines: string[] = [];
  const buttons: RenderedButton[] = [];
  const pickers: RenderedPicker[] = [];
  const t = (s: string | undefined) => mrkdwnToText(s ?? '', opts.ansi);
  for (const raw of blocks as AnyBlock[]) {
    switch (raw.type) {
      case 'header': {
        const title = t(raw.text?.text);
        lines.push(opts.ansi ? `\x1b[1m${title}\x1b[22m` : title, '═'.repeat(Math.min(60, Math.max(4, title.length))));
        break;
      }
      case 'section':
        if (raw.text) lines.push(...t(raw.text.text).split('\n'));
        if (raw.fields) for (const f of raw.fields) lines.push(`  ${t(f.text).replace(/\n/, ': ').replace(/\n/g, ', ')}`);
        break;
      case 'context':
        for (const e of raw.elements ?? []) lines.push(`  › ${t(typeof e.text === 'string' ? e.text : e.text?.text)}`);
        break;
      case 'divider':
        lines.push('─'.repeat(40));
        break;
      case 'actions': {
        const labels: string[] = [];
        for (const e of raw.elements ?? []) {
          if ((e.type === 'checkboxes' || e.type === 'static_select') && e.action_id) {
            const options = (e.options ?? []).map((o) => ({ label: o.text.text ?? o.value, value: o.value }));
            pickers.push({ actionId: e.action_id, blockId: raw.block_id, kind: e.type, options });
            if (e.type === 'checkboxes') lines.push(...options.map((o) => `  ☐ ${o.label}`));
            else lines.push(`  ▾ ${e.placeholder?.text ?? 'choose'}`);
            continue;
          }
          if (e.type !== 'button' || !e.action_id) continue;
          const label = typeof e.text === 'string' ? e.text : (e.text?.text ?? e.action_id);
          buttons.push({ label, actionId: e.action_id, value: e.value, blockId: raw.block_id });
          labels.push(`[${(opts.firstNumber ?? 1) + buttons.length - 1}] ${label}`);
        }
        if (labels.length) lines.push(labels.join('  '));
        break;
      }
      default:
        lines.push(`(${raw.type} block)`);
    }
  }
  return { lines, buttons, pickers };
}

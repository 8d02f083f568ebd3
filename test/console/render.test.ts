import { describe, expect, it } from 'vitest';
import { mrkdwnToText } from '../../src/console/render.js';
import { slackTime } from '../../src/slack/views/blocks.js';

describe('the console rendering of mrkdwn', () => {
  it('shows an instant Slack would format for each reader (<!date^…>) as its fallback, the time in UTC', () => {
    const at = new Date('2026-12-01T10:30:00Z');
    expect(slackTime(at)).toBe('<!date^1796121000^{time}|10:30 UTC>');
    expect(mrkdwnToText(`Time ends at ${slackTime(at)}, see <https://example.com|the guide>.`, false)).toBe(
      'Time ends at 10:30 UTC, see the guide (https://example.com).',
    );
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FollowUps } from '../../src/slack/follow-ups.js';
import { answerAt, startTestApp, type TestApp } from '../support/harness.js';

/**
 * In a burst (follow-ups queued), a command is acknowledged at once, empty, and answered by its response_url after the
 * follow-ups ahead of it: its acknowledgement never carries the cost of its answer while others wait for theirs.
 */
describe('/aipath in a burst', () => {
  let t: TestApp;
  const followUps = new FollowUps({ concurrency: 1 });
  beforeAll(async () => {
    t = await startTestApp({}, { followUps });
  });
  afterAll(async () => {
    await t.close();
  });

  it('acknowledges empty while a follow-up is pending, then answers by response_url once it is done', async () => {
    // Alone, `help` (no database, no Slack) is answered in its acknowledgement.
    const alone = await t.command('help', { user: 'U0BURST001' });
    expect(JSON.parse(await alone.text())).toMatchObject({ response_type: 'ephemeral' });

    let release: (() => void) | undefined;
    const held = followUps.run(() => new Promise<void>((resolve) => (release = resolve)));
    await vi.waitFor(() => expect(release).toBeDefined());
    // The second command of this app: its response_url ends in cmd-2.
    const res = await t.command('help', { user: 'U0BURST001' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await new Promise((r) => setTimeout(r, 50));
    // Its answer waits behind the follow-up holding the only slot.
    expect(t.fake.callsOf('response_url').filter((c) => c.path.endsWith('/cmd-2'))).toHaveLength(0);
    release!();
    await held;
    expect(String((await answerAt(t.fake, 'cmd-2')).text)).toContain('aipath');
  });

  it('lets the listener return once it has acknowledged, while idle() still waits for the answer it handed on', async () => {
    // Bolt's middleware chain for a request ends when its listener returns; this records when that was.
    const returned: string[] = [];
    t.app.bolt.use(async ({ body, next }) => {
      await next();
      returned.push(String((body as { text?: string }).text));
    });
    let release: (() => void) | undefined;
    const held = followUps.run(() => new Promise<void>((resolve) => (release = resolve)));
    await vi.waitFor(() => expect(release).toBeDefined());
    const answersBefore = new Set(t.fake.callsOf('response_url').map((c) => c.path));
    const answers = () => t.fake.callsOf('response_url').filter((c) => !answersBefore.has(c.path));
    const res = await t.command('cert aif-c01', { user: 'U0BURST002' });
    expect(await res.text()).toBe('');
    // The listener has returned (its request is no longer kept alive) while the answer still waits for its turn.
    await vi.waitFor(() => expect(returned).toContain('cert aif-c01'));
    expect(answers()).toHaveLength(0);
    let idle = false;
    const idling = t.app.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(idle).toBe(false);
    release!();
    await held;
    await idling;
    // idle() resolved only after the answer had gone out.
    expect(answers().map((c) => String(c.params.text))).toEqual([expect.stringContaining('AIF-C01')]);
  });
});

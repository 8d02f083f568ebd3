import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { buildContainer } from '../src/container.js';
import { createLogger } from '../src/log.js';

describe('the container', () => {
  it('wires everything from the configuration, and says what is missing before a pass can send', async () => {
    const container = await buildContainer(loadConfig({ AIPATH_DB: ':memory:' }), { logger: createLogger('error') });
    try {
      expect(container.services.content.quiz.length).toBeGreaterThan(300);
      expect(container.slackDeps.study.store).toBe(container.services.store);
      await expect(container.runPass(new Date('2026-12-01T09:00:00Z'))).rejects.toThrow(/no Slack to send to/);
    } finally {
      await container.close();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { buildContainer } from '../src/container.js';
import { createLogger } from '../src/log.js';
import { keyIdOf, SecretBox, sealedKeyId } from '../src/shared/secret-box.js';

const OAUTH_ENV = {
  AIPATH_DB: ':memory:',
  SLACK_CLIENT_ID: '1234567890.0987654321',
  SLACK_CLIENT_SECRET: 'c0ffee0123456789abcdef0123456789',
  SLACK_STATE_SECRET: 'state-secret-0123456789abcdef',
  SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef',
  AIPATH_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

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

  it('builds in multi-workspace mode with the installations and a per-workspace gateway: a pass runs without a bot token', async () => {
    const config = loadConfig(OAUTH_ENV);
    const container = await buildContainer(config, { logger: createLogger('error') });
    try {
      expect(container.installations).toBeDefined();
      await expect(container.runPass(new Date('2026-12-01T09:00:00Z'))).resolves.toMatchObject({ due: 0, sent: 0 });
      // No workspace has an installation: nothing can speak for one.
      expect(await container.installations!.resolve('T0NOWHERE1')).toBeUndefined();
    } finally {
      await container.close();
    }
  });

  it('during a key rotation (AIPATH_NEW_ENCRYPTION_KEY set) seals new installs with the new key and opens tokens under either', async () => {
    const oldKey = Buffer.from(OAUTH_ENV.AIPATH_ENCRYPTION_KEY, 'base64');
    const newKey = randomBytes(32);
    const config = loadConfig({ ...OAUTH_ENV, AIPATH_NEW_ENCRYPTION_KEY: newKey.toString('base64') });
    const container = await buildContainer(config, { logger: createLogger('error') });
    try {
      const installations = container.installations!;
      await installations.storeInstallation({
        team: { id: 'T0NEWKEY1', name: 'New key' },
        enterprise: undefined,
        user: { id: 'U0INST1', token: undefined, scopes: undefined },
        bot: { token: 'xoxb-new-key-token', userId: 'U0BOT1', id: 'B0BOT1', scopes: ['commands'] },
        isEnterpriseInstall: false,
      });
      expect(sealedKeyId((await container.services.store.installations.find('T0NEWKEY1'))!.tokenCiphertext!)).toBe(keyIdOf(newKey));
      // Installed before the rotation began: still under the old key.
      await container.services.store.installations.save({
        workspaceId: 'T0OLDKEY1',
        teamId: 'T0OLDKEY1',
        enterpriseId: null,
        isEnterpriseInstall: false,
        teamName: 'Old key',
        botUserId: 'U0BOT2',
        botId: 'B0BOT2',
        scopes: ['commands'],
        installerUserId: 'U0INST2',
        tokenCiphertext: new SecretBox(oldKey).seal('xoxb-old-key-token', 'T0OLDKEY1'),
        installedAt: new Date('2026-12-01T09:00:00Z'),
      });
      expect((await installations.resolve('T0NEWKEY1'))?.token).toBe('xoxb-new-key-token');
      expect((await installations.resolve('T0OLDKEY1'))?.token).toBe('xoxb-old-key-token');
    } finally {
      await container.close();
    }
  });

  it('single-workspace modes keep no installations', async () => {
    const container = await buildContainer(loadConfig({ AIPATH_DB: ':memory:', SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' }), {
      logger: createLogger('error'),
    });
    try {
      expect(container.installations).toBeUndefined();
    } finally {
      await container.close();
    }
  });
});

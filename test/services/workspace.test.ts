import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Store } from '../../src/ports/store.js';
import { isAdmin } from '../../src/services/admins.js';
import { adoptInstallerTimezone, workspaceTimezone } from '../../src/services/workspace.js';
import { openStore } from '../../src/store/open.js';

describe('isAdmin', () => {
  const lookups: string[] = [];
  const installerOf = async (ws: string) => {
    lookups.push(ws);
    return ws === 'T0INSTALL1' ? 'U0INSTALLR' : undefined;
  };
  beforeEach(() => {
    lookups.length = 0;
  });

  it('a workspace admin or owner, or a user AIPATH_ADMINS names, without looking up the installer', async () => {
    expect(await isAdmin({ named: [], installerOf }, 'T0INSTALL1', { userId: 'U0SLACKADM', isWorkspaceAdmin: true })).toBe(true);
    expect(await isAdmin({ named: ['U0NAMED001'], installerOf }, 'T0INSTALL1', { userId: 'U0NAMED001', isWorkspaceAdmin: false })).toBe(true);
    expect(lookups).toEqual([]);
  });

  it('the installer of the workspace, and only there; nobody else', async () => {
    const rights = { named: ['U0NAMED001'], installerOf };
    expect(await isAdmin(rights, 'T0INSTALL1', { userId: 'U0INSTALLR', isWorkspaceAdmin: false })).toBe(true);
    expect(await isAdmin(rights, 'T0ELSEWHR1', { userId: 'U0INSTALLR', isWorkspaceAdmin: false })).toBe(false);
    expect(await isAdmin(rights, 'T0INSTALL1', { userId: 'U0MEMBER01', isWorkspaceAdmin: false })).toBe(false);
    expect(lookups).toEqual(['T0INSTALL1', 'T0ELSEWHR1', 'T0INSTALL1']);
  });

  it('without an installer lookup (single-workspace modes), Slack roles and AIPATH_ADMINS only', async () => {
    expect(await isAdmin({ named: [] }, 'T0INSTALL1', { userId: 'U0INSTALLR', isWorkspaceAdmin: false })).toBe(false);
  });
});

describe("a workspace's default timezone", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:', createLogger('error'));
  });
  afterEach(async () => {
    await store.database.close();
  });

  it('falls back on AIPATH_TIMEZONE until the workspace has one', async () => {
    expect(await workspaceTimezone(store.workspaceSettings, 'T0ONE', 'Europe/London')).toBe('Europe/London');
    await store.workspaceSettings.setDefaultTimezone('T0ONE', 'Asia/Kolkata');
    expect(await workspaceTimezone(store.workspaceSettings, 'T0ONE', 'Europe/London')).toBe('Asia/Kolkata');
    expect(await workspaceTimezone(store.workspaceSettings, 'T0TWO', 'Europe/London')).toBe('Europe/London');
  });

  it("adoptInstallerTimezone takes the installer's zone once, never over an admin's choice, and ignores what is not an IANA zone", async () => {
    expect(await adoptInstallerTimezone(store.workspaceSettings, 'T0ONE', 'EST')).toBe(false);
    expect(await adoptInstallerTimezone(store.workspaceSettings, 'T0ONE', null)).toBe(false);
    expect(await adoptInstallerTimezone(store.workspaceSettings, 'T0ONE', 'america/new_york')).toBe(true);
    expect((await store.workspaceSettings.get('T0ONE')).defaultTz).toBe('America/New_York');
    await store.workspaceSettings.setDefaultTimezone('T0ONE', 'Europe/Paris');
    expect(await adoptInstallerTimezone(store.workspaceSettings, 'T0ONE', 'Asia/Tokyo')).toBe(false);
    expect((await store.workspaceSettings.get('T0ONE')).defaultTz).toBe('Europe/Paris');
  });
});

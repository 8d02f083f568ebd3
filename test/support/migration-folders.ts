import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * For data-migration tests: temporary folders (removed after each test) and `migrationsBefore`, the migrations of
 * `dir` that come before `version`, copied into one of them, to build a database as it was before the migration.
 */
export function migrationFolders(prefix: string): { tempDir: () => string; migrationsBefore: (dir: string, version: string) => string } {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  const migrationsBefore = (dir: string, version: string) => {
    const before = tempDir();
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.sql') && f < version)) cpSync(join(dir, f), join(before, f));
    return before;
  };
  return { tempDir, migrationsBefore };
}

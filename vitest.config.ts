import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // A throwaway PostgreSQL server for the run (skipped with one line when PostgreSQL is not installed);
    // tests get its URL through inject('postgresUrl'): see test/support/postgres.ts.
    globalSetup: ['test/support/postgres-server.ts'],
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Suites share the local PostgreSQL and MariaDB servers; each creates its own database,
    // but two cores cannot run many PGlite instances and servers at once without timeouts.
    maxWorkers: 2,
  },
});

import { defineConfig } from "stratum";

export default defineConfig({
  // DATABASE_URL: the multi-tenant PostgreSQL database.
  versionPaths: ["versions"],
});

import { defineConfig } from "stratum";

export default defineConfig({
  // DATABASE_URL: production (Railway), staging, or a developer's database.
  versionPaths: ["versions"],
});

import { defineConfig } from "stratum";

export default defineConfig({
  // The production database (or a restored copy of it): DATABASE_URL.
  versionPaths: ["versions"],
});

import { defineConfig } from "stratum";

export default defineConfig({
  // DATABASE_URL=postgres://...
  versionPaths: ["versions"],
});

import { defineConfig } from "stratum";

export default defineConfig({
  // An embedded PostgreSQL (PGlite) kept in this folder: no server to install.
  // `--url postgres://...` or DATABASE_URL points the same revisions at a real server.
  url: "pglite:./.pglite",
  versionPaths: ["versions"],
});

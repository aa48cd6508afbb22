import { defineConfig } from "stratum";

export default defineConfig({
  // DATABASE_URL names the database: a developer's local one, staging, production.
  versionPaths: ["versions"],
  // What the models say the schema should be; `revision --autogenerate` closes the gap.
  declaredSchema: "schema/*.sql",
  hooks: {
    // Runs before every upgrade or downgrade changes anything; a failure stops the run.
    backup: "mkdir -p backups && pg_dump -Fc -f backups/{timestamp}.dump {url}",
  },
});

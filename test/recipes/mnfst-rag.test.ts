/** docs/recipes/mnfst-rag.md, run as written on a PostgreSQL database of its own. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { copyExample, queryPostgres as run, readRecipe, resultOf, runRecipe } from "./recipe.js";

const USERS = 1234;

describe("recipe: MNFST-RAG", () => {
  let db: ScratchDatabase;
  let project: { path: string; remove(): void };

  beforeAll(async () => {
    db = await createPostgresDatabase("stratum_recipe_mnfst");
    project = copyExample("mnfst-rag");
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("branches, merges, migrates data in batches and recovers from a failed run", async () => {
    const results = await runRecipe(readRecipe("mnfst-rag"), project.path, { ...process.env, DATABASE_URL: db.url }, {
      before: {
        // Users from before the email verification column and the role migration: the
        // column must read true for them, and the batches (three of 500) have work to do.
        "stratum upgrade email_verification@head": async () => {
          await run(
            db.url,
            `INSERT INTO tenants (name) VALUES ('acme');
             INSERT INTO users (tenant_id, email, role)
             SELECT (SELECT id FROM tenants), 'user' || g || '@example.com',
                    CASE g % 3 WHEN 0 THEN 'admin' WHEN 1 THEN 'client' ELSE 'auditor' END
             FROM generate_series(1, ${USERS}) g`,
          );
        },
      },
    });

    const merge = readFileSync(join(project.path, "versions", "006_merge_user_preferences_and_email.ts"), "utf8");
    expect(merge).toMatch(/parents: \[\s*"004",\s*"005"\s*\]/);

    // Every row was migrated, and the audit trigger saw each batch's updates.
    const roles = await run(db.url, "SELECT role, count(*)::int AS n FROM users GROUP BY role ORDER BY role");
    expect(roles).toEqual([
      { role: "auditor", n: 411 },
      { role: "tenant_admin", n: 411 },
      { role: "user", n: 412 },
    ]);
    const audited = await run(db.url, "SELECT count(*)::int AS n FROM audit_logs WHERE table_name = 'users' AND operation = 'UPDATE'");
    expect(audited[0]?.n).toBeGreaterThanOrEqual(USERS);

    // Existing users count as verified; new ones do not.
    await run(db.url, "INSERT INTO users (tenant_id, email) SELECT id, 'new@example.com' FROM tenants");
    const verified = await run(db.url, "SELECT email_verified, count(*)::int AS n FROM users GROUP BY 1 ORDER BY 1");
    expect(verified).toEqual([
      { email_verified: false, n: 1 },
      { email_verified: true, n: USERS },
    ]);

    const failed = resultOf(results, "stratum log -n 1");
    expect(failed.stdout).toContain("009");
    const policies = await run(db.url, "SELECT policyname FROM pg_policies WHERE tablename = 'documents'");
    expect(policies).toEqual([{ policyname: "tenant_isolation" }]);
  });
});

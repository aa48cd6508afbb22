/** The testing kit called from vitest, on the embedded PGlite. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { atRevision, downgradeLeavesNoTrace, singleHead, stairway, StairwayFailure, upgradeBaseToHead } from "../../src/testing/index.js";
import { CheckFailed } from "../../src/errors.js";
import { kitProject, writeShop, type KitProject } from "./project.js";

describe("testing kit on a sample project", () => {
  let project: KitProject;
  beforeAll(() => {
    project = kitProject();
    writeShop(project);
  });
  afterAll(() => project.remove());

  it("singleHead returns the one head", async () => {
    expect(await singleHead({ cwd: project.dir })).toBe("a00000000004");
  });

  it("upgradeBaseToHead applies every revision in order", async () => {
    const report = await upgradeBaseToHead({ cwd: project.dir });
    expect(report.heads).toEqual(["a00000000004"]);
    expect(report.steps.map((s) => s.revision)).toEqual(["a00000000001", "a00000000002", "a00000000003", "a00000000004"]);
  });

  it("stairway walks up, down and up again for each revision", async () => {
    const seen: string[] = [];
    const report = await stairway({ cwd: project.dir, onStep: (step) => seen.push(`${step.action} ${step.revision}`) });
    expect(report.revisions).toHaveLength(4);
    expect(report.steps.every((s) => s.ok)).toBe(true);
    expect(seen.slice(0, 4)).toEqual(["upgrade a00000000001", "downgrade a00000000001", "compare a00000000001", "upgrade again a00000000001"]);
    expect(seen).toHaveLength(16);
  });

  it("downgradeLeavesNoTrace passes when every downgrade is complete", async () => {
    const report = await downgradeLeavesNoTrace({ cwd: project.dir });
    expect(report.heads).toEqual([]);
    expect(report.steps.filter((s) => s.action === "downgrade").map((s) => s.revision)).toEqual([
      "a00000000004", "a00000000003", "a00000000002", "a00000000001",
    ]);
  });

  it("atRevision seeds rows that a later data migration transforms", async () => {
    project.revision({
      id: "a00000000005",
      parents: ["a00000000004"],
      message: "normalise emails",
      up: ["ALTER TABLE users ADD COLUMN email_domain text", "UPDATE users SET email = lower(email), email_domain = split_part(lower(email), '@', 2)"],
      down: ["ALTER TABLE users DROP COLUMN email_domain"],
    });
    try {
      const db = await atRevision("a00000000004", async (seed) => {
        expect(await seed.execute("INSERT INTO users (email) VALUES ($1), ($2)", ["Ann@Example.COM", "bob@shop.io"])).toBe(2);
      }, { cwd: project.dir });
      try {
        expect(await db.heads()).toEqual(["a00000000004"]);
        await db.upgradeTo("a00000000005");
        expect(await db.heads()).toEqual(["a00000000005"]);
        expect(await db.query("SELECT email, email_domain FROM users ORDER BY id")).toEqual([
          { email: "ann@example.com", email_domain: "example.com" },
          { email: "bob@shop.io", email_domain: "shop.io" },
        ]);
      } finally {
        await db.close();
      }
    } finally {
      const { rmSync } = await import("node:fs");
      const { readdirSync } = await import("node:fs");
      const { join } = await import("node:path");
      for (const f of readdirSync(project.versions)) if (f.startsWith("a00000000005")) rmSync(join(project.versions, f));
    }
  });

  it("atRevision closes the database and rethrows when the seed fails", async () => {
    await expect(atRevision("a00000000001", async (seed) => void (await seed.execute("INSERT INTO nowhere VALUES (1)")), { cwd: project.dir })).rejects.toThrow(/nowhere/);
  });

  it("atRevision rejects an unknown revision with a readable error", async () => {
    await expect(atRevision("ffffffffffff", undefined, { cwd: project.dir })).rejects.toThrow(/ffffffffffff/);
  });
});

describe("testing kit failures", () => {
  let project: KitProject;
  beforeAll(() => {
    project = kitProject();
    project.revision({ id: "b00000000001", message: "users", up: ["CREATE TABLE users (id int PRIMARY KEY)"], down: ["DROP TABLE users"] });
    project.revision({
      id: "b00000000002",
      parents: ["b00000000001"],
      message: "audit log",
      up: ["CREATE TABLE audit_log (id int PRIMARY KEY, note text)", "ALTER TABLE users ADD COLUMN nickname text"],
      // Forgets the table.
      down: ["ALTER TABLE users DROP COLUMN nickname"],
    });
  });
  afterAll(() => project.remove());

  it("stairway names the revision and the table its downgrade left behind", async () => {
    const failure = await stairway({ cwd: project.dir }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StairwayFailure);
    const error = failure as StairwayFailure;
    expect(error.revision).toBe("b00000000002");
    expect(error.message).toContain("b00000000002 (audit log)");
    expect(error.message).toContain("audit_log");
    expect(error.message).not.toContain("nickname");
    expect(error.exitCode).toBe(1);
    // The first revision passed before the failure.
    expect(error.report.steps.filter((s) => s.revision === "b00000000001").every((s) => s.ok)).toBe(true);
  });

  it("downgradeLeavesNoTrace lists what head → base left", async () => {
    await expect(downgradeLeavesNoTrace({ cwd: project.dir })).rejects.toThrow(/left things behind:\n.*audit_log/);
  });

  it("singleHead names both heads of a branched history", async () => {
    project.revision({ id: "b00000000003", parents: ["b00000000001"], message: "side branch", up: ["SELECT 1"], down: ["SELECT 1"] });
    try {
      const error = await singleHead({ cwd: project.dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckFailed);
      expect((error as Error).message).toMatch(/2 heads: b00000000002, b00000000003/);
    } finally {
      const { rmSync, readdirSync } = await import("node:fs");
      const { join } = await import("node:path");
      for (const f of readdirSync(project.versions)) if (f.startsWith("b00000000003")) rmSync(join(project.versions, f));
    }
  });
});

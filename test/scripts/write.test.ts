import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, UsageError } from "../../src/errors.js";
import { revisionFileName, slugify } from "../../src/scripts/file-name.js";
import { readHeader } from "../../src/scripts/headers.js";
import { generateRevisionId, validateRevisionId } from "../../src/scripts/ids.js";
import { writeInitFiles } from "../../src/scripts/init.js";
import { loadRevisionModule } from "../../src/scripts/load-revision.js";
import { parseSqlRevision } from "../../src/scripts/sql-revision.js";
import { writeRevisionFile } from "../../src/scripts/write.js";

let root: string;
let counter = 0;
const fresh = () => join(root, `d${counter++}`);
const NOW = new Date("2024-03-05T07:08:09.123Z");

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "stratum-write-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("revision ids", () => {
  it("generates 12 random hex characters", () => {
    const ids = new Set(Array.from({ length: 50 }, generateRevisionId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });

  it("rejects ids with characters that targets use, and empty or reserved ids", () => {
    for (const bad of ["", "a@b", "a-b", "a+b", "a:b", "a b", "a,b", "heads", "base", "HEAD", "Current", "current"]) {
      expect(() => validateRevisionId(bad), bad).toThrow(UsageError);
    }
    expect(() => validateRevisionId("ae1027a6acf")).not.toThrow();
    expect(() => validateRevisionId("my_custom_rev")).not.toThrow();
    expect(() => validateRevisionId("currently")).not.toThrow();
  });
});

describe("file names", () => {
  it("slugs messages to lowercase words, cut at a word boundary", () => {
    expect(slugify("Add coating_type to Assets!")).toBe("add_coating_type_to_assets");
    expect(slugify("Café déjà vu")).toBe("cafe_deja_vu");
    expect(slugify("one two three four five six seven eight nine ten")).toBe("one_two_three_four_five_six_seven_eight");
    expect(slugify("")).toBe("");
  });

  it("fills every placeholder in UTC", () => {
    expect(revisionFileName("{year}{month}{day}_{time}_{id}_{slug}", { id: "abc", message: "Init", now: NOW })).toBe("20240305_070809_abc_init");
    expect(revisionFileName("{date}_{id}", { id: "abc", message: "", now: NOW })).toBe("2024_03_05_abc");
  });

  it("drops the separator left by an empty slug", () => {
    expect(revisionFileName("{id}_{slug}", { id: "abc", message: "", now: NOW })).toBe("abc");
  });

  it("rejects unknown placeholders, a template without {id}, and path separators", () => {
    expect(() => revisionFileName("{id}_{nope}", { id: "a", message: "", now: NOW })).toThrow(/unknown placeholder \{nope\}/);
    expect(() => revisionFileName("{slug}", { id: "a", message: "x", now: NOW })).toThrow(/must contain \{id\}/);
    expect(() => revisionFileName("sub/{id}", { id: "a", message: "x", now: NOW })).toThrow(/plain file name/);
  });
});

describe("writeRevisionFile", () => {
  it("writes a TypeScript revision whose header reads back and which loads", async () => {
    const dir = fresh();
    const path = await writeRevisionFile({
      dir, id: "aa11bb22cc33", parents: ["p1", "p2"], message: 'Merge "heads"\nsecond line', branchLabels: ["feat"], dependsOn: ["d1"], kind: "ts", now: NOW,
    });
    expect(path).toBe(join(dir, "aa11bb22cc33_merge_heads_second_line.ts"));
    const text = readFileSync(path, "utf8");
    expect(readHeader(path, text)).toMatchObject({
      id: "aa11bb22cc33", parents: ["p1", "p2"], message: 'Merge "heads"\nsecond line', branchLabels: ["feat"], dependsOn: ["d1"], createDate: "2024-03-05T07:08:09.123Z",
    });
    const definition = await loadRevisionModule(path);
    expect(definition.id).toBe("aa11bb22cc33");
    expect(typeof definition.downgrade).toBe("function");
    // Only the revision itself: no temporary files left behind.
    expect(readdirSync(dir)).toEqual(["aa11bb22cc33_merge_heads_second_line.ts"]);
  });

  it("indents generated bodies and adds imports", async () => {
    const path = await writeRevisionFile({
      dir: fresh(), id: "b1", parents: [], message: "gen", kind: "ts", now: NOW,
      body: { upgrade: 'await op.execute("CREATE TABLE t (a int)");\nawait op.execute("SELECT 1");', downgrade: 'await op.execute("DROP TABLE t");', imports: 'import { sql } from "./_helpers.js";' },
    });
    const text = readFileSync(path, "utf8");
    expect(text).toContain('    await op.execute("CREATE TABLE t (a int)");\n    await op.execute("SELECT 1");\n');
    expect(text).toContain('import { sql } from "./_helpers.js";');
  });

  it("writes a SQL revision that parses", async () => {
    const path = await writeRevisionFile({
      dir: fresh(), id: "s1", parents: ["r0"], message: "add\nindex", kind: "sql", now: NOW, fileTemplate: "{date}_{id}_{slug}",
      body: { upgrade: "CREATE INDEX i ON t (a);", downgrade: "DROP INDEX i;" },
    });
    expect(path.endsWith("2024_03_05_s1_add_index.sql")).toBe(true);
    const parsed = parseSqlRevision(path, readFileSync(path, "utf8"));
    expect(parsed.header).toMatchObject({ id: "s1", parents: ["r0"], message: "add index" });
    expect(parsed.up.text.trim()).toBe("CREATE INDEX i ON t (a);");
    expect(parsed.down?.text.trim()).toBe("DROP INDEX i;");
  });

  it("uses a user's template, including individual SQL placeholders", async () => {
    const dir = fresh();
    mkdirSync(dir);
    const template = join(dir, "custom.sql.tmpl");
    writeFileSync(template, "-- stratum:revision id={{id}} parents={{parents}} message=\"{{message}}\" labels={{labels}}\n-- owner: data team\n-- stratum:up\n{{upgrade}}\n");
    const path = await writeRevisionFile({ dir, id: "c1", parents: ["a", "b"], message: "custom", branchLabels: ["x"], kind: "sql", template, now: NOW });
    const text = readFileSync(path, "utf8");
    expect(text).toContain("-- owner: data team");
    expect(readHeader(path, text)).toMatchObject({ id: "c1", parents: ["a", "b"], branchLabels: ["x"] });
  });

  it("never overwrites an existing file", async () => {
    const dir = fresh();
    const first = await writeRevisionFile({ dir, id: "same", parents: [], message: "m", kind: "ts", now: NOW });
    const before = readFileSync(first, "utf8");
    const error = await writeRevisionFile({ dir, id: "same", parents: ["x"], message: "m", kind: "ts", now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/same_m\.ts: file already exists; not overwriting it/);
    expect(readFileSync(first, "utf8")).toBe(before);
    expect(readdirSync(dir)).toEqual(["same_m.ts"]);
  });

  describe("bad input", () => {
    it("rejects a bad id or parent", async () => {
      await expect(writeRevisionFile({ dir: fresh(), id: "a-b", parents: [], message: "", kind: "ts" })).rejects.toThrow(/may not contain "-"/);
      await expect(writeRevisionFile({ dir: fresh(), id: "ab", parents: ["x@y"], message: "", kind: "ts" })).rejects.toThrow(/may not contain "@"/);
    });

    it("rejects a missing template, naming it", async () => {
      await expect(writeRevisionFile({ dir: fresh(), id: "a", parents: [], message: "", kind: "ts", template: join(root, "none.tmpl") })).rejects.toThrow(/none\.tmpl: cannot read revision template: no such file/);
    });

    it("rejects an unknown placeholder with its line", async () => {
      const template = join(root, "unknown.tmpl");
      writeFileSync(template, "// header\nexport default revision({ id: {{id}}, x: {{bogus}} });\n");
      await expect(writeRevisionFile({ dir: fresh(), id: "a", parents: [], message: "", kind: "ts", template })).rejects.toThrow(/unknown\.tmpl:2: unknown placeholder \{\{bogus\}\}/);
    });

    it("rejects a template that drops a header field", async () => {
      const template = join(root, "noparents.tmpl");
      writeFileSync(template, "export default revision({ id: {{id}}, message: {{message}}, upgrade() {} });\n");
      const dir = fresh();
      await expect(writeRevisionFile({ dir, id: "a", parents: ["p"], message: "", kind: "ts", template })).rejects.toThrow(/noparents\.tmpl: revision template does not write the revision's parents/);
      expect(existsSync(dir)).toBe(false);
    });

    it("rejects a template whose output has no readable header", async () => {
      const template = join(root, "broken.tmpl");
      writeFileSync(template, "export const nothing = {{id}};\n");
      await expect(writeRevisionFile({ dir: fresh(), id: "a", parents: [], message: "", kind: "ts", template })).rejects.toThrow(/broken\.tmpl: revision template does not produce a readable header/);
    });
  });
});

describe("writeInitFiles", () => {
  it("writes a config, a versions folder and editable templates", async () => {
    const dir = fresh();
    const written = await writeInitFiles(dir);
    expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual([".stratum/.gitignore", "migrations/script.sql.tmpl", "migrations/script.ts.tmpl", "stratum.config.ts"]);
    expect(readFileSync(join(dir, ".stratum/.gitignore"), "utf8")).toBe("*\n");
    const config = readFileSync(join(dir, "stratum.config.ts"), "utf8");
    expect(config).toContain("defineConfig");
    expect(config).toContain("pglite:./.stratum/db");
    expect(config).toContain("migrations/script.ts.tmpl");
    expect(readFileSync(join(dir, "migrations/script.ts.tmpl"), "utf8")).toContain("{{upgrade}}");
  });

  it("refuses to overwrite, before writing anything", async () => {
    const dir = fresh();
    mkdirSync(join(dir, "migrations"), { recursive: true });
    writeFileSync(join(dir, "migrations/script.ts.tmpl"), "mine");
    await expect(writeInitFiles(dir)).rejects.toThrow(/script\.ts\.tmpl: already exists/);
    expect(existsSync(join(dir, "stratum.config.ts"))).toBe(false);
    expect(readFileSync(join(dir, "migrations/script.ts.tmpl"), "utf8")).toBe("mine");
  });

  it("refuses when a config in another format exists", async () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, "stratum.config.mjs"), "export default {}");
    await expect(writeInitFiles(dir)).rejects.toThrow(/stratum\.config\.mjs: already exists/);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, requireUrl } from "../../src/config/load.js";
import { resolveUrlPath } from "../../src/config/urls.js";
import { InputError, UsageError } from "../../src/errors.js";
import { defaultTemplatePath } from "../../src/scripts/write.js";

let root: string;
let counter = 0;
const savedEnv = { ...process.env };

function project(files: Record<string, string>): string {
  const dir = join(root, `p${counter++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error("expected loadConfig to fail");
  expect(error.message).not.toMatch(/\n\s+at /);
  return error;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "stratum-config-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  delete process.env["DATABASE_URL"];
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

const ENVS_CONFIG = `import { defineConfig } from "stratum";
export default defineConfig({
  url: "postgres://app@db.example/main",
  envs: {
    primary: { url: "postgres://app@primary.example/main" },
    replica: { url: "pglite:./replica-db", schema: "reporting" },
  },
  versionPaths: ["migrations", "../shared/migrations"],
  versionTable: "alembic_version",
  lockTimeoutMs: 500,
  revisionTemplate: "templates/rev.ts.tmpl",
  declaredSchema: "schema/*.sql",
  lint: { rules: { "add-index-concurrently": "warn" } },
});
`;

describe("loadConfig", () => {
  it("loads stratum.config.ts with defineConfig imported from stratum and fills defaults", async () => {
    const dir = project({ "stratum.config.ts": ENVS_CONFIG });
    const config = await loadConfig({ cwd: dir });
    expect(config).toMatchObject({
      configDir: dir,
      configFile: join(dir, "stratum.config.ts"),
      url: "postgres://app@db.example/main",
      urlSource: "config",
      versionPaths: [join(dir, "migrations"), join(root, "shared", "migrations")],
      versionTable: "alembic_version",
      historyTable: "stratum_history",
      fileTemplate: "{id}_{slug}",
      revisionTemplate: { ts: join(dir, "templates/rev.ts.tmpl"), sql: defaultTemplatePath("sql") },
      transactionMode: "per-revision",
      lockTimeoutMs: 500,
      lockRetries: 5,
      linearHistory: false,
      declaredSchema: join(dir, "schema/*.sql"),
      lint: { rules: { "add-index-concurrently": "warn" }, onUpgrade: "warn", onRevision: "warn" },
      hooks: {},
    });
    expect(config.env).toBeUndefined();
    expect(config.schema).toBeUndefined();
  });

  it("fills every default for an empty config", async () => {
    const dir = project({ "stratum.config.mjs": "export default {};\n" });
    const config = await loadConfig({ cwd: dir });
    expect(config).toEqual({
      configDir: dir,
      configFile: join(dir, "stratum.config.mjs"),
      envs: {},
      versionPaths: [join(dir, "migrations")],
      versionTable: "stratum_version",
      historyTable: "stratum_history",
      fileTemplate: "{id}_{slug}",
      revisionTemplate: { ts: defaultTemplatePath("ts"), sql: defaultTemplatePath("sql") },
      transactionMode: "per-revision",
      lockTimeoutMs: 2000,
      lockRetries: 5,
      linearHistory: false,
      lint: { rules: {}, onUpgrade: "warn", onRevision: "warn" },
      hooks: {},
    });
    expect(() => requireUrl(config)).toThrow(/no database URL: set url in .*stratum\.config\.mjs, pass --url, or set DATABASE_URL/);
  });

  it("selects an environment, with its schema and a path resolved against the config folder", async () => {
    const dir = project({ "stratum.config.ts": ENVS_CONFIG });
    const config = await loadConfig({ cwd: dir, env: "replica" });
    expect(config.url).toBe(`pglite:${join(dir, "replica-db")}`);
    expect(config.urlSource).toBe("env");
    expect(config.env).toBe("replica");
    expect(config.schema).toBe("reporting");
  });

  it("uses defaultEnv when no environment is given", async () => {
    const dir = project({ "stratum.config.ts": `export default { defaultEnv: "b", envs: { a: { url: "pglite:memory" }, b: { url: "sqlite:app.db" } } };` });
    const config = await loadConfig({ cwd: dir });
    expect(config.env).toBe("b");
    expect(config.url).toBe(`sqlite:${join(dir, "app.db")}`);
  });

  it("ranks URLs: --url, then the environment, then the config, then DATABASE_URL", async () => {
    const dir = project({ "stratum.config.ts": ENVS_CONFIG });
    process.env["DATABASE_URL"] = "postgres://from-env-var/db";
    expect((await loadConfig({ cwd: dir, env: "primary", url: "postgres://flag/db" })).url).toBe("postgres://flag/db");
    expect((await loadConfig({ cwd: dir, env: "primary" })).url).toBe("postgres://app@primary.example/main");
    expect((await loadConfig({ cwd: dir })).url).toBe("postgres://app@db.example/main");
    const bare = project({ "stratum.config.ts": "export default {};" });
    const config = await loadConfig({ cwd: bare });
    expect(config.url).toBe("postgres://from-env-var/db");
    expect(config.urlSource).toBe("DATABASE_URL");
  });

  it("resolves a relative --url against the working folder given", async () => {
    const dir = project({ "conf/stratum.config.ts": "export default {};" });
    const config = await loadConfig({ cwd: dir, configFile: "conf/stratum.config.ts", url: "pglite:./local" });
    expect(config.configDir).toBe(join(dir, "conf"));
    expect(config.url).toBe(`pglite:${join(dir, "local")}`);
    expect(config.urlSource).toBe("flag");
  });

  it("loads .env from the config folder without overriding variables already set", async () => {
    const dir = project({
      "stratum.config.ts": `export default { url: process.env.STRATUM_TEST_URL, schema: process.env.STRATUM_TEST_SCHEMA };`,
      ".env": "# comment\nSTRATUM_TEST_URL=pglite:./from-dotenv\nSTRATUM_TEST_SCHEMA=from_dotenv\n",
    });
    process.env["STRATUM_TEST_SCHEMA"] = "from_shell";
    const config = await loadConfig({ cwd: dir });
    expect(config.url).toBe(`pglite:${join(dir, "from-dotenv")}`);
    expect(config.schema).toBe("from_shell");
  });

  it("needs no config file when DATABASE_URL (possibly from .env) or --url is set", async () => {
    const dir = project({ ".env": "DATABASE_URL=sqlite:./dev.db\n" });
    const config = await loadConfig({ cwd: dir });
    expect(config.configFile).toBeUndefined();
    expect(config.url).toBe(`sqlite:${join(dir, "dev.db")}`);
    expect(config.versionPaths).toEqual([join(dir, "migrations")]);
    const empty = project({});
    expect((await loadConfig({ cwd: empty, url: "postgres://x/y" })).url).toBe("postgres://x/y");
  });

  it("prefers stratum.config.ts over the other names", async () => {
    const dir = project({ "stratum.config.ts": `export default { versionTable: "from_ts" };`, "stratum.config.mjs": `export default { versionTable: "from_mjs" };` });
    expect((await loadConfig({ cwd: dir })).versionTable).toBe("from_ts");
  });

  describe("bad configuration", () => {
    it("says where it looked when there is no config and no URL", async () => {
      const dir = project({});
      const error = await failure(loadConfig({ cwd: dir }));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(`no config file found: looked for stratum.config.ts, stratum.config.mts, stratum.config.js, stratum.config.mjs in ${dir}, and neither --url nor DATABASE_URL is set`);
    });

    it("rejects a --config file that does not exist or is a folder", async () => {
      const dir = project({ "sub/x.txt": "" });
      expect((await failure(loadConfig({ cwd: dir, configFile: "nope.ts" }))).message).toMatch(/config file .*nope\.ts does not exist/);
      expect((await failure(loadConfig({ cwd: dir, configFile: "sub" }))).message).toMatch(/config file .*sub is not a file/);
    });

    it("lists the environments for an unknown name", async () => {
      const dir = project({ "stratum.config.ts": ENVS_CONFIG });
      const error = await failure(loadConfig({ cwd: dir, env: "staging" }));
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toMatch(/unknown environment "staging"; .*stratum\.config\.ts defines: primary, replica$/);
    });

    it("rejects an environment when none are defined", async () => {
      const dir = project({ "stratum.config.ts": "export default {};" });
      expect((await failure(loadConfig({ cwd: dir, env: "prod" }))).message).toMatch(/unknown environment "prod": .* defines no envs/);
      const bare = project({});
      expect((await failure(loadConfig({ cwd: bare, env: "prod", url: "pglite:memory" }))).message).toMatch(/no config file was found/);
    });

    it("names the file and line when the config throws", async () => {
      const dir = project({ "stratum.config.ts": `const port: number = 5432;\n\nthrow new Error("missing secret");\nexport default {};\n` });
      const error = await failure(loadConfig({ cwd: dir }));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/stratum\.config\.ts:3: cannot load config: missing secret$/);
    });

    it("names the file when the config does not parse", async () => {
      const dir = project({ "stratum.config.ts": `export default {\n  url: "x",,\n};\n` });
      const error = await failure(loadConfig({ cwd: dir }));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/stratum\.config\.ts(:\d+)?: cannot load config: /);
    });

    const badFields: Array<[string, string, RegExp]> = [
      ["no default export", "export const url = 'x';", /config must export an object as its default export/],
      ["default export is a function", "export default () => ({});", /config must export an object/],
      ["url not a string", "export default { url: 5432 };", /url must be a non-empty string \(got 5432\)/],
      ["versionPaths a string", `export default { versionPaths: "migrations" };`, /versionPaths must be a non-empty array of strings \(got "migrations"\)/],
      ["versionPaths with a number", `export default { versionPaths: ["a", 2] };`, /versionPaths\[1\] must be a non-empty string/],
      ["lockTimeoutMs as text", `export default { lockTimeoutMs: "2s" };`, /lockTimeoutMs must be a whole number of 0 or more \(got "2s"\)/],
      ["negative retries", `export default { lockRetries: -1 };`, /lockRetries must be a whole number/],
      ["bad transaction mode", `export default { transactionMode: "none" };`, /transactionMode must be one of "per-revision", "single"/],
      ["table name with a quote", `export default { versionTable: 'v"; drop' };`, /versionTable must be a plain table name/],
      ["same table twice", `export default { historyTable: "stratum_version" };`, /versionTable and historyTable are both "stratum_version"/],
      ["unknown field", `export default { versionPath: ["m"] };`, /unknown field versionPath \(known: url, envs,/],
      ["env without url", `export default { envs: { prod: { schema: "s" } } };`, /envs\.prod\.url is required/],
      ["env with unknown field", `export default { envs: { prod: { url: "x", host: "y" } } };`, /unknown field envs\.prod\.host/],
      ["defaultEnv not defined", `export default { defaultEnv: "prod", envs: { dev: { url: "x" } } };`, /defaultEnv "prod" is not one of envs \(dev\)/],
      ["bad lint level", `export default { lint: { rules: { r: "fatal" } } };`, /lint\.rules\.r must be one of "error", "warn", "off"/],
      ["bad lint gate", `export default { lint: { onUpgrade: "block" } };`, /lint\.onUpgrade must be one of "error", "warn", "off"/],
      ["linearHistory as text", `export default { linearHistory: "yes" };`, /linearHistory must be true or false/],
      ["hooks not an object", `export default { hooks: "pg_dump" };`, /hooks must be an object/],
      ["revisionTemplate with unknown kind", `export default { revisionTemplate: { py: "x" } };`, /unknown field revisionTemplate\.py/],
    ];
    for (const [name, text, pattern] of badFields) {
      it(name, async () => {
        const dir = project({ "stratum.config.mjs": text });
        const error = await failure(loadConfig({ cwd: dir }));
        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toMatch(/stratum\.config\.mjs: /);
        expect(error.message).toMatch(pattern);
      });
    }
  });
});

describe("resolveUrlPath", () => {
  it("makes relative file URLs absolute and leaves the rest alone", () => {
    expect(resolveUrlPath("pglite:./db", "/p")).toBe("pglite:/p/db");
    expect(resolveUrlPath("pglite:db", "/p")).toBe("pglite:/p/db");
    expect(resolveUrlPath("sqlite:../x.db", "/p/q")).toBe("sqlite:/p/x.db");
    expect(resolveUrlPath("pglite:/abs/db", "/p")).toBe("pglite:/abs/db");
    expect(resolveUrlPath("pglite:memory", "/p")).toBe("pglite:memory");
    expect(resolveUrlPath("sqlite::memory:", "/p")).toBe("sqlite::memory:");
    expect(resolveUrlPath("sqlite:///abs.db", "/p")).toBe("sqlite:///abs.db");
    expect(resolveUrlPath("postgres://u:pw@h/db", "/p")).toBe("postgres://u:pw@h/db");
  });
});

/**
 * Other migration tools that bench/apply.mjs runs next to Stratum. They are not dependencies of
 * the project: each is installed on first use into bench/.work/peers/ (ignored by git) with the
 * ordinary npm client and run from there as a child process.
 *
 * node-pg-migrate 9 runs with its defaults except for two flags:
 *   --no-single-transaction  one transaction per migration, as the floor and Stratum do (the
 *                            CLI's default in version 9 wraps all pending migrations in one);
 *   --no-verbose             no echo of every statement, as `psql -q` and Stratum print none.
 * Its advisory lock, migrations table and order check stay on.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

/** Reports the process's own CPU time on stderr when it exits (pipes are written synchronously). */
const CPU_REPORT =
  'data:text/javascript,process.on("exit",()=>{const c=process.cpuUsage();process.stderr.write("\\nbench-cpu "+(c.user+c.system)/1000+"\\n")})';

/**
 * Installs node-pg-migrate 9 and pg into `<workDir>/peers` unless they are there already.
 * Returns `{ bin, version, cwd }`, or `{ skipped }` with the reason when npm cannot install them.
 */
export function ensureNodePgMigrate(workDir) {
  const prefix = join(workDir, "peers");
  const pkg = join(prefix, "node_modules", "node-pg-migrate", "package.json");
  const present = () => {
    if (!existsSync(pkg) || !existsSync(join(prefix, "node_modules", "pg", "package.json"))) return undefined;
    const { version, bin } = JSON.parse(readFileSync(pkg, "utf8"));
    if (!version.startsWith("9.")) return undefined;
    const path = typeof bin === "string" ? bin : bin["node-pg-migrate"];
    return { bin: join(prefix, "node_modules", "node-pg-migrate", path), version, cwd: prefix };
  };
  const found = present();
  if (found) return found;
  mkdirSync(prefix, { recursive: true });
  console.error(`installing node-pg-migrate@9 and pg into ${prefix} (first use) ...`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["install", "--prefix", prefix, "--no-save", "--no-audit", "--no-fund", "node-pg-migrate@9", "pg"], {
    encoding: "utf8",
    timeout: 180_000,
  });
  if (result.error || result.status !== 0) {
    // npm's first error lines carry the code and the message (older npm writes "npm ERR!").
    const errors = (result.stderr ?? "").split("\n").map((l) => l.replace(/^npm (error|ERR!)\s*/, "").trim()).filter(Boolean);
    const code = errors.find((l) => /^code /.test(l));
    const message = errors.find((l) => !/^(code|syscall|errno) /.test(l) && !/^npm warn/i.test(l));
    const reason = result.error?.message ?? ([code, message].filter(Boolean).join(": ") || undefined);
    return { skipped: `npm install failed${result.status === null ? "" : ` (exit ${result.status})`}: ${reason ?? "no output"}` };
  }
  return present() ?? { skipped: `npm install finished but ${pkg} is not a 9.x release` };
}

/**
 * Writes the revisions as node-pg-migrate migrations, one file each, `0001_bench_1.cjs` onwards,
 * each `up` and `down` running the same statements through `pgm.sql`. They are CommonJS (one of
 * node-pg-migrate's own templates) so that its loader, jiti, reads them without transpiling; ESM
 * `.js` files would be transpiled on first load and cached outside the project. The folder is
 * rewritten only when its contents would differ.
 */
export function writeNodePgMigrateMigrations(dir, count, upSql, downSql) {
  const width = Math.max(4, String(count).length);
  const body = (statements) => statements.map((sql) => `  pgm.sql(${JSON.stringify(sql)});`).join("\n");
  const files = [];
  for (let i = 1; i <= count; i++) {
    files.push([`${String(i).padStart(width, "0")}_bench_${i}.cjs`, `exports.up = (pgm) => {\n${body(upSql(i))}\n};\n\nexports.down = (pgm) => {\n${body(downSql(i))}\n};\n`]);
  }
  const digest = createHash("sha256").update(JSON.stringify(files)).digest("hex");
  const stamp = `${dir}.sha256`;
  if (existsSync(dir) && existsSync(stamp) && readFileSync(stamp, "utf8") === digest && readdirSync(dir).length === count) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  writeFileSync(stamp, digest);
  return dir;
}

/**
 * Runs the node-pg-migrate CLI: `up` (all pending), `down <count>`, or `--version` (start-up
 * alone). Returns the wall time and the child's own CPU time in milliseconds.
 */
export function runNodePgMigrate(tool, url, migrationsDir, action, count) {
  const actionArgs = action === "up" ? ["up"] : action === "down" ? ["down", String(count)] : ["--version"];
  const flags = ["-m", migrationsDir, "-t", "pgmigrations", "--no-single-transaction", "--no-verbose"];
  const t0 = performance.now();
  // cwd is the install folder, so that whatever jiti caches stays in its node_modules.
  const result = spawnSync(process.execPath, [`--import=${CPU_REPORT}`, tool.bin, ...actionArgs, ...(action === "version" ? [] : flags)], {
    cwd: tool.cwd,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = performance.now() - t0;
  if (result.status !== 0) {
    throw new Error(`node-pg-migrate ${actionArgs.join(" ")} exited ${result.status}: ${(result.stderr || result.stdout || String(result.error)).trim().slice(-2000)}`);
  }
  const cpu = /bench-cpu ([\d.]+)\s*$/.exec(result.stderr);
  return { wall, cpu: cpu ? Number(cpu[1]) : undefined };
}

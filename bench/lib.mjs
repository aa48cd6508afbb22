/**
 * What the benchmarks share: the repository root, `--name value` options, medians, and timing a
 * child process by its own wall and CPU time.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
export const cli = join(repo, "bin", "stratum.js");

const args = process.argv.slice(2);

/** The value after `--name` on the command line, or the fallback. */
export function option(name, fallback) {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs each child under a small Python wrapper that forks, execs and waits with wait4(): the
 * child's own wall and CPU time (user + system, to the microsecond), without the wrapper's
 * start-up. Without python3, GNU time gives CPU in 10 ms steps; without either, wall time only.
 */
const USAGE_WRAPPER = `import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
sys.stderr.write("\\nbench-usage %.3f %.3f\\n" % (wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000))
sys.exit(os.waitstatus_to_exitcode(status))`;
// Asked on first use, not at import: a benchmark's own child processes import this module too,
// and starting Python there (about 100 ms) would be timed as part of the tool under test.
let havePython;
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Runs a command: wall and CPU milliseconds of the child (CPU when measurable) and its stdout. */
export function run(command, argv, cwd) {
  havePython ??= spawnSync("python3", ["-c", ""]).status === 0;
  const [file, fileArgs] = havePython
    ? ["python3", ["-c", USAGE_WRAPPER, command, ...argv]]
    : GNU_TIME
      ? [GNU_TIME, ["-f", "\nbench-cpu %U %S", command, ...argv]]
      : [command, argv];
  const start = performance.now();
  const result = spawnSync(file, fileArgs, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  let wall = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${argv.join(" ")} exited ${result.status}: ${result.stderr.trim().split("\n")[0]}`);
  let cpu;
  const usage = /bench-usage ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  const gnu = /bench-cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  if (usage) [wall, cpu] = [Number(usage[1]), Number(usage[2])];
  else if (gnu) cpu = (Number(gnu[1]) + Number(gnu[2])) * 1000;
  return { wall, cpu, stdout: result.stdout };
}

/** A generated TypeScript revision in the template's layout: one chain link whose steps run raw SQL. */
export function chainRevision({ id, parent, message, up, down }) {
  const calls = (statements) => statements.map((sql) => `    await op.execute(${JSON.stringify(sql)});`).join("\n");
  return `import { revision } from "stratum";

export default revision({
  id: "${id}",
  parents: [${parent === undefined ? "" : `"${parent}"`}],
  message: "${message}",
  createDate: "2024-01-01T00:00:00.000Z",
  branchLabels: [],
  dependsOn: [],

  async upgrade(op) {
${calls(up)}
  },

  async downgrade(op) {
${calls(down)}
  },
});
`;
}

const pythonsWith = new Map();

/**
 * A Python that can import these modules, or undefined. Debian's python3-alembic lives under the
 * system interpreter, which may not be first on PATH. Asked on first use, like python3 above.
 */
export function pythonWith(modules) {
  const key = modules.join(",");
  if (!pythonsWith.has(key)) {
    const found = ["/usr/bin/python3", "python3"].find(
      (python) => spawnSync(python, ["-c", `import ${key}`], { encoding: "utf8" }).status === 0,
    );
    pythonsWith.set(key, found);
  }
  return pythonsWith.get(key);
}

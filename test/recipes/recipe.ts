/**
 * Runs a recipe page as written: every ```sh block of the markdown is executed in order,
 * in a temporary copy of the recipe's sample project, so the guide cannot drift from what
 * Stratum really does.
 *
 * Conventions of the recipe pages:
 * - a ```sh block holds `stratum ...` commands, one per line (`\` continues a line), plus
 *   `cp SRC DEST` for the "now edit this file" steps (SRC is a prepared file of the project);
 * - a trailing `# exit N` comment on a command says which exit code it must end with (0
 *   when absent); other `#` comments are prose;
 * - a ```text block right after a ```sh block lists lines that must appear in that
 *   block's output (lines that are only `...` stand for output left out);
 * - a ```sql block whose first line is `-- by hand` is run on the database as it stands
 *   (the steps a person does with psql or mysql during a recovery);
 * - `<!-- recipe-project: NAME -->` starts a part of the page that runs on its own (a page
 *   with separate stories, each on its own database); the test picks the part's sample
 *   project, usually the subfolder NAME.
 */
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { commands } from "../../src/cli/commands/index.js";
import { runCli } from "../../src/cli/main.js";
import { tempDir } from "../helpers/databases.js";

export const REPO = resolve(import.meta.dirname, "..", "..");

export interface RecipeCommand {
  argv: string[];
  expectExit: number;
  /** Line in the markdown, for messages. */
  line: number;
  text: string;
}

export interface RecipeBlock {
  /** The sample project's subfolder the block runs in ("" for the project itself). */
  project: string;
  commands: RecipeCommand[];
  /** SQL a person runs by hand at this point (a ```sql block starting with `-- by hand`). */
  sql?: string;
  /** Lines the block's output must contain. */
  expectOutput: string[];
  line: number;
}

export interface CommandResult {
  command: RecipeCommand;
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The runnable blocks of a markdown page: ```sh blocks, with the ```text block that follows
 * each, if any, and by-hand ```sql blocks.
 */
export function parseRecipe(markdown: string): RecipeBlock[] {
  const fenceOrProject = /^```(\w*)[^\n]*\n([\s\S]*?)^```[ \t]*$|<!--\s*recipe-project:\s*(\S+)\s*-->/gm;
  const blocks: RecipeBlock[] = [];
  let project = "";
  let previousEnd = -1;
  for (const match of markdown.matchAll(fenceOrProject)) {
    const [whole, lang, body, projectName] = match as unknown as [string, string, string, string | undefined];
    const start = match.index ?? 0;
    const line = markdown.slice(0, start).split("\n").length + 1;
    if (projectName !== undefined) {
      project = projectName;
    } else if (lang === "sh") {
      blocks.push({ project, commands: parseCommands(body, line), expectOutput: [], line });
    } else if (lang === "sql" && /^--\s*by hand\b/.test(body)) {
      blocks.push({ project, commands: [], sql: body, expectOutput: [], line });
    } else if (lang === "text" && blocks.length > 0 && markdown.slice(previousEnd, start).trim() === "") {
      const last = blocks[blocks.length - 1]!;
      last.expectOutput = body
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "" && l !== "..." && l !== "…");
    }
    previousEnd = start + whole.length;
  }
  return blocks;
}

function parseCommands(body: string, firstLine: number): RecipeCommand[] {
  const commands: RecipeCommand[] = [];
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = firstLine + i;
    let text = lines[i]!;
    while (text.trimEnd().endsWith("\\") && i + 1 < lines.length) {
      text = `${text.trimEnd().slice(0, -1)} ${lines[++i]!.trim()}`;
    }
    const { words, comment } = splitWords(text);
    if (words.length === 0) continue;
    const exitMatch = /\bexit (\d+)\b/.exec(comment ?? "");
    commands.push({ argv: words, expectExit: exitMatch ? Number(exitMatch[1]) : 0, line, text: text.trim() });
  }
  return commands;
}

/** POSIX-shell-like word splitting: single and double quotes, `#` comments. */
export function splitWords(text: string): { words: string[]; comment?: string } {
  const words: string[] = [];
  let current: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new Error(`unclosed quote in: ${text}`);
      current = (current ?? "") + text.slice(i + 1, end);
      i = end;
    } else if (ch === " " || ch === "\t") {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else if (ch === "#" && current === undefined) {
      return { words, comment: text.slice(i + 1).trim() };
    } else {
      current = (current ?? "") + ch;
    }
  }
  if (current !== undefined) words.push(current);
  return { words };
}

/** A temporary copy of examples/recipes/NAME (NAME may name a subfolder: `forecastin/import`). */
export function copyExample(name: string): { path: string; remove(): void } {
  const source = join(REPO, "examples", "recipes", name);
  if (!existsSync(source)) throw new Error(`no sample project at ${source}`);
  const dir = tempDir(`stratum-recipe-${name.replaceAll("/", "-")}-`);
  cpSync(source, dir.path, { recursive: true, filter: (src) => !/[\\/](\.pglite|node_modules)$/.test(src) });
  return dir;
}

/** The blocks of docs/recipes/NAME.md, those of one project part only when `project` is given. */
export function readRecipe(name: string, project?: string): RecipeBlock[] {
  return readDoc(join("recipes", `${name}.md`), project);
}

/** The blocks of any page under docs/ (PATH relative to it). */
export function readDoc(path: string, project?: string): RecipeBlock[] {
  const blocks = parseRecipe(readFileSync(join(REPO, "docs", path), "utf8"));
  return project === undefined ? blocks : blocks.filter((b) => b.project === project);
}

/** Runs one command of a recipe in `cwd` (`stratum` in process, `cp` on the copy). */
export async function runCommand(command: RecipeCommand, cwd: string, env: Record<string, string | undefined>): Promise<CommandResult> {
  const [program, ...args] = command.argv;
  if (program === "cp") {
    const [from, to] = args;
    if (args.length !== 2 || from === undefined || to === undefined) throw new Error(`line ${command.line}: cp takes SRC DEST`);
    cpSync(join(cwd, from), join(cwd, to));
    return { command, code: 0, stdout: "", stderr: "" };
  }
  if (program !== "stratum") throw new Error(`line ${command.line}: recipes run only stratum and cp, not: ${command.text}`);
  let stdout = "";
  let stderr = "";
  const code = await asIfStartedIn(cwd, env, () =>
    runCli(args, {
      cwd,
      env,
      isTTY: false,
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
    }),
  );
  return { command, code, stdout, stderr };
}

/**
 * Runs with the working folder and environment a user's shell would give the bin: the config
 * file reads process.env when it loads, and paths are shown relative to the working folder.
 */
async function asIfStartedIn<T>(cwd: string, env: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  const savedCwd = process.cwd();
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  process.chdir(cwd);
  try {
    return await run();
  } finally {
    process.chdir(savedCwd);
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

export interface RunRecipeOptions {
  /** Called before the command with exactly this text runs (to put data in place, say). */
  before?: Record<string, () => Promise<void>>;
  /** Runs the page's by-hand SQL blocks on the database. */
  runSql?: (sql: string) => Promise<void>;
}

/**
 * Runs every block of the recipe and checks exit codes and listed output. Returns each
 * command's result so that a test can look closer at some of them.
 */
export async function runRecipe(
  blocks: RecipeBlock[],
  cwd: string,
  env: Record<string, string | undefined>,
  options: RunRecipeOptions = {},
): Promise<CommandResult[]> {
  const hooks = new Map(Object.entries(options.before ?? {}));
  const results: CommandResult[] = [];
  for (const block of blocks) {
    if (block.sql !== undefined) {
      if (!options.runSql) throw new Error(`block at line ${block.line}: SQL by hand, but no runSql was given`);
      await options.runSql(block.sql);
    }
    let output = "";
    for (const command of block.commands) {
      const hook = hooks.get(command.text);
      hooks.delete(command.text);
      if (hook) await hook();
      const result = await runCommand(command, cwd, env);
      results.push(result);
      output += result.stdout + result.stderr;
      if (result.code !== command.expectExit) {
        throw new Error(
          `line ${command.line}: \`${command.text}\` exited ${result.code}, the recipe says ${command.expectExit}\n` +
            `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
        );
      }
    }
    for (const expected of block.expectOutput) {
      if (!output.includes(expected)) {
        throw new Error(`block at line ${block.line}: the output lacks the line the recipe shows:\n  ${expected}\noutput:\n${output}`);
      }
    }
  }
  if (hooks.size > 0) throw new Error(`the recipe has no command ${[...hooks.keys()].join(", ")}`);
  return results;
}

/** The result of the command whose text contains `fragment` (the last one when several do). */
/** Runs SQL on a PostgreSQL database the way a person would with psql, on a connection of its own. */
export async function queryPostgres(url: string, sql: string): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

export function resultOf(results: CommandResult[], fragment: string): CommandResult {
  const found = results.filter((r) => r.command.text.includes(fragment)).pop();
  if (!found) throw new Error(`no recipe command contains: ${fragment}`);
  return found;
}

/** The `stratum` commands and flags the blocks use that the CLI does not offer. */
export async function unavailable(blocks: RecipeBlock[]): Promise<string[]> {
  const helpCache = new Map<string, string>();
  const help = async (name: string): Promise<string> => {
    let text = helpCache.get(name);
    if (text === undefined) {
      text = "";
      await runCli(name === "" ? ["--help"] : [name, "--help"], { stdout: (t) => void (text += t), stderr: () => {}, isTTY: false });
      helpCache.set(name, text);
    }
    return text;
  };
  const missing = new Set<string>();
  for (const command of blocks.flatMap((b) => b.commands)) {
    if (command.argv[0] !== "stratum") continue;
    const args = command.argv.slice(1);
    const name = args.find((a, i) => !a.startsWith("-") && !["-e", "--env", "--url", "-C", "--lock-wait", "-x"].includes(args[i - 1] ?? ""));
    if (name === undefined) continue;
    if (!commands.some((c) => c.name === name)) {
      missing.add(`stratum ${name}`);
      continue;
    }
    const known = (await help(name)) + (await help(""));
    for (const flag of args.filter((a) => a.startsWith("--"))) {
      if (!new RegExp(`${flag}\\b`).test(known)) missing.add(`stratum ${name} ${flag}`);
    }
  }
  return [...missing];
}

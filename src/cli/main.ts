import { Command, CommanderError } from "commander";
import type { CommandEntry } from "./command.js";
import { commands } from "./commands/index.js";
import { createCliContext } from "./context.js";
import { reportError } from "./report.js";
import { addGlobalOptions, GLOBAL_OPTIONS_WITH_VALUE } from "./globals.js";
import { type CliIO, processIO, redactingIO } from "./io.js";
import { packageVersion } from "../package-files.js";

/**
 * Runs the CLI in this process and resolves to the exit code. `argv` holds the user's
 * arguments only (process.argv.slice(2)).
 */
export async function runCli(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const safeIO = redactingIO({ ...processIO(), ...io });
  const cli = createCliContext(safeIO);
  const program = new Command("stratum");
  program
    .description("Schema migrations for TypeScript and Node.js")
    .version(packageVersion(), "-V, --version")
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => safeIO.stdout(text),
      writeErr: (text) => safeIO.stderr(text),
    });
  addGlobalOptions(program);

  try {
    const wanted = findCommand(argv);
    for (const entry of commands) {
      if (entry === wanted) (await entry.load()).register(program, cli);
      else program.command(entry.name).description(entry.summary);
    }
    for (const sub of program.commands) sub.exitOverride();
    await program.parseAsync(argv, { from: "user" });
    return cli.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error, safeIO, argv.includes("--debug"), argv.includes("--json"));
  }
}

/** The registry entry argv names (skipping global options and their values), if any. */
function findCommand(argv: readonly string[]): CommandEntry | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") return undefined;
    if (arg.startsWith("-")) {
      if (GLOBAL_OPTIONS_WITH_VALUE.has(arg)) i++;
      continue;
    }
    // `stratum help upgrade` needs the real options of `upgrade` to print them.
    const name = arg === "help" ? argv[i + 1] : arg;
    return commands.find((entry) => entry.name === name);
  }
  return undefined;
}

import { resolve } from "node:path";
import type { Command } from "commander";
import type { CommonOptions, RunEvent } from "../api/options.js";
import type { CliIO } from "./io.js";
import { type GlobalFlags, parseLockWait, parseRevisionArgs, readGlobals } from "./globals.js";

/** What a command file gets: the IO, the global flags, and the printers. */
export interface CliContext {
  readonly io: CliIO;
  /** Set by an action whose check failed (exit 1) after it printed its result. */
  exitCode: number;
  globals(command: Command): GlobalFlags;
  /** The API options that the global flags describe. */
  apiOptions(command: Command): CommonOptions;
  /**
   * Prints a result: as one JSON document with --json, else as the lines `human` returns
   * (nothing with -q unless `always`).
   */
  print<T>(command: Command, result: T, human: (result: T) => string[], options?: { always?: boolean }): void;
}

export function createCliContext(io: CliIO): CliContext {
  const context: CliContext = {
    io,
    exitCode: 0,
    globals: readGlobals,
    apiOptions(command) {
      const flags = readGlobals(command);
      const options: CommonOptions = {
        cwd: flags.directory === undefined ? io.cwd : resolve(io.cwd, flags.directory),
        args: parseRevisionArgs(flags.x ?? []),
      };
      if (flags.config !== undefined) options.configFile = resolve(io.cwd, flags.config);
      if (flags.env !== undefined) options.env = flags.env;
      if (flags.url !== undefined) options.url = flags.url;
      const lockWait = parseLockWait(flags.lockWait);
      if (lockWait !== undefined) options.lockWaitSeconds = lockWait;
      if (!flags.json) options.onEvent = eventPrinter(io, flags.quiet === true);
      return options;
    },
    print(command, result, human, options = {}) {
      const flags = readGlobals(command);
      if (flags.json) {
        io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      if (flags.quiet && !options.always) return;
      const lines = human(result);
      if (lines.length > 0) io.stdout(`${lines.join("\n")}\n`);
    },
  };
  return context;
}

/**
 * Alembic-style step lines (`Running upgrade a -> b, message`). On a terminal each line also
 * shows n of m and, when the step ends, how long it took; elsewhere the output stays line-oriented.
 */
function eventPrinter(io: CliIO, quiet: boolean): (event: RunEvent) => void {
  return (event) => {
    switch (event.type) {
      case "step": {
        if (quiet) return;
        const counter = io.isTTY ? `[${event.index + 1}/${event.total}] ` : "";
        const verb = event.direction === "up" ? "upgrade" : "downgrade";
        const message = event.message ? `, ${event.message}` : "";
        io.stdout(`${counter}Running ${verb} ${event.from} -> ${event.to}${message}\n`);
        return;
      }
      case "stepDone":
        if (!quiet && io.isTTY) io.stdout(`  done in ${event.durationMs} ms\n`);
        return;
      case "lockWait":
        io.stderr(`Waiting for the migration lock${event.holder ? ` held by ${event.holder}` : ""}...\n`);
        return;
      case "warning":
        io.stderr(`warning: ${event.message}\n`);
        return;
      case "info":
        if (!quiet) io.stdout(`${event.message}\n`);
        return;
    }
  };
}

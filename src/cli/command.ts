import type { Command } from "commander";
import type { CliContext } from "./context.js";

/** A command file's export: adds its subcommand (arguments, options, action) to the program. */
export interface CommandModule {
  register(program: Command, cli: CliContext): void;
}

/**
 * One registry entry. `load` is called only for the command being run, so that heavy
 * dependencies stay out of `stratum --version` and of every other command's start-up.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<CommandModule>;
}

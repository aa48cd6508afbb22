import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { printRunResult, runOptions } from "./run-output.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("downgrade")
    .description("revert revisions down to TARGET (-1, base, an id, label@-1; FROM:TO with --sql)")
    .argument("<target>", "where to go")
    .option("--sql", "print the SQL script instead of running it (does not connect)")
    .action(async (target: string, options: { sql: boolean }, command: Command) => {
      const { downgrade } = await import("../../api/downgrade.js");
      const result = await downgrade({ ...runOptions(cli, command, options.sql), target });
      printRunResult(cli, command, result);
    });
}

import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { printRunResult, runOptions } from "./run-output.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("upgrade")
    .description("apply revisions up to TARGET (head, heads, +N, an id, label@head; [FROM:]TO with --sql)")
    .argument("<target>", "where to go")
    .option("--sql", "print the SQL script instead of running it (does not connect)")
    .action(async (target: string, options: { sql: boolean }, command: Command) => {
      const { upgrade } = await import("../../api/upgrade.js");
      const result = await upgrade({ ...runOptions(cli, command, options.sql), target });
      printRunResult(cli, command, result);
    });
}

import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { printRunResult } from "./run-output.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("upgrade")
    .description("apply revisions up to TARGET (head, heads, +N, an id, label@head; [FROM:]TO with --sql)")
    .argument("<target>", "where to go")
    .option("--sql", "print the SQL script instead of running it (does not connect)")
    .action(async (target: string, options: { sql: boolean }, command: Command) => {
      const { upgrade } = await import("../../api/upgrade.js");
      const flags = cli.globals(command);
      const result = await upgrade({
        ...cli.apiOptions(command),
        target,
        sql: options.sql,
        dryRun: flags.dryRun,
        singleTransaction: flags.singleTransaction,
        allowChanged: flags.allowChanged,
        yes: flags.yes === true,
      });
      printRunResult(cli, command, result);
    });
}

import type { Command } from "commander";
import type { SchemaDifferences, SchemaOptions } from "../../api/schema.js";
import { UsageError } from "../../errors.js";
import type { CliContext } from "../context.js";

/** With --json the operations go to stdout and the exit code is 1; otherwise the error prints itself. */
export function printDifferences(cli: CliContext, command: Command, error: SchemaDifferences): void {
  if (!cli.globals(command).json) throw error;
  cli.print(command, { clean: false, operations: error.operations, differences: error.lines, manual: error.manual }, () => []);
  cli.exitCode = error.exitCode;
}

export function parseShadow(value: string): NonNullable<SchemaOptions["shadow"]> {
  if (value === "auto" || value === "pglite" || value === "server") return value;
  throw new UsageError(`--shadow must be auto, pglite or server, not "${value}".`);
}

export function register(program: Command, cli: CliContext): void {
  program
    .command("drift")
    .description("compare the database with what its revisions produce; exit 1 on changes made outside them")
    .action(async (_options: unknown, command: Command) => {
      const { drift, SchemaDifferences } = await import("../../api/schema.js");
      try {
        const result = await drift(cli.apiOptions(command));
        cli.print(command, result, (r) => [`No drift: the database matches its revisions (at ${r.heads.length ? r.heads.join(", ") : "base"}).`]);
      } catch (error) {
        if (!(error instanceof SchemaDifferences)) throw error;
        printDifferences(cli, command, error);
      }
    });
}

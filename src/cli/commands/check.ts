import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { parseShadow, printDifferences } from "./drift.js";

interface CheckFlags {
  schema?: string[];
  shadow?: string;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function register(program: Command, cli: CliContext): void {
  program
    .command("check")
    .description("compare the declared schema with the database at head; exit 1 when they differ")
    .option("--schema <glob>", "SQL schema files or a DSL module (repeatable; default: the config's declaredSchema, or schema/*.sql)", collect)
    .option("--shadow <kind>", "where SQL schema files are applied: auto, pglite or server")
    .action(async (options: CheckFlags, command: Command) => {
      const { check, SchemaDifferences } = await import("../../api/schema.js");
      try {
        const result = await check({
          ...cli.apiOptions(command),
          ...(options.schema === undefined ? {} : { schema: options.schema }),
          ...(options.shadow === undefined ? {} : { shadow: parseShadow(options.shadow) }),
        });
        cli.print(command, result, (r) => [`The database matches the declared schema (${r.source}).`]);
      } catch (error) {
        if (!(error instanceof SchemaDifferences)) throw error;
        printDifferences(cli, command, error);
      }
    });
}

import type { Command } from "commander";
import type { ImportSqlResult } from "../../api/import-sql.js";
import type { CliContext } from "../context.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("import-sql")
    .description("turn a folder of legacy .sql files into a chain of SQL revisions")
    .argument("<dir>", "the folder of .sql files")
    .option("--order <file>", "a file listing the forward .sql files in the order they run")
    .option("--version-path <path>", "the versions folder to write to (one of the configured ones)")
    .option("--stamp <rev>", "mark the database as already at this imported revision (id or file name)")
    .action(async (dir: string, options: { order?: string; versionPath?: string; stamp?: string }, command: Command) => {
      const { importSql } = await import("../../api/import-sql.js");
      const flags = cli.globals(command);
      const result = await importSql({
        ...cli.apiOptions(command),
        dir,
        ...(options.order === undefined ? {} : { orderFile: options.order }),
        ...(options.versionPath === undefined ? {} : { versionPath: options.versionPath }),
        ...(options.stamp === undefined ? {} : { stamp: options.stamp }),
        dryRun: flags.dryRun === true,
      });
      cli.print(command, result, importTable);
    });
}

function importTable(result: ImportSqlResult): string[] {
  const rows = result.revisions.map((r) => [r.file, r.id, r.rollback ?? "none", String(r.warnings.length)]);
  const header = ["file", "revision", "downgrade", "warnings"];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  const lines = [line(header), ...rows.map(line)];
  const warnings = result.revisions.flatMap((r) => r.warnings.map((w) => `  ${r.file}: ${w}`));
  if (warnings.length > 0) lines.push("", "Warnings:", ...warnings);
  const verb = result.dryRun ? "Would import" : "Imported";
  lines.push("", `${verb} ${result.revisions.length} file(s).`);
  if (result.stamped) lines.push(`Stamped the database at ${result.stamped.join(", ") || "<base>"}.`);
  return lines;
}

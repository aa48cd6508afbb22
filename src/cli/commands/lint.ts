import { type Command, Option } from "commander";
import type { CliContext } from "../context.js";

interface LintFlags {
  all?: boolean;
  pending?: boolean;
  format?: "human" | "json" | "github";
}

export function register(program: Command, cli: CliContext): void {
  program
    .command("lint")
    .description("check revisions against the safety rules (default: the heads); exit 1 on errors")
    .argument("[revisions...]", "revision ids, prefixes or labels")
    .option("--all", "lint every revision")
    .option("--pending", "lint the revisions the database has not applied yet")
    .addOption(new Option("--format <format>", "output format").choices(["human", "json", "github"]))
    .action(async (revisions: string[], flags: LintFlags, command: Command) => {
      const { lint } = await import("../../api/lint.js");
      const json = cli.globals(command).json === true;
      const format = flags.format ?? (json ? "json" : "human");
      const options = { ...cli.apiOptions(command), format, revisions };
      const result = await lint({ ...options, ...(flags.all ? { all: true } : {}), ...(flags.pending ? { pending: true } : {}) });
      cli.io.stdout(result.output);
      if (result.errors > 0) cli.exitCode = 1;
    });
}

import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function register(program: Command, cli: CliContext): void {
  program
    .command("log")
    .description("show the history table: every step applied, reverted or stamped")
    .option("-n, --limit <count>", "only the newest COUNT entries")
    .action(async (options: { limit?: string }, command: Command) => {
      const { log } = await import("../../api/log.js");
      const result = await log({ ...cli.apiOptions(command), ...(options.limit === undefined ? {} : { limit: options.limit }) });
      cli.print(command, result, (r) =>
        r.entries.map((e) => {
          const outcome = e.success ? "ok" : `FAILED: ${e.error ?? "unknown error"}`;
          return `${e.startedAt}  ${e.direction.padEnd(5)} ${e.revision}  ${e.durationMs ?? "-"} ms  ${e.appliedBy ?? ""}  ${outcome}`;
        }),
      );
    });
}

import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { ScratchMode } from "../../testing/options.js";
import type { CliContext } from "../context.js";

interface SquashFlags {
  message: string;
  revId?: string;
  scratch?: string;
  delete?: boolean;
  allowDataChanges?: boolean;
}

export function register(program: Command, cli: CliContext): void {
  program
    .command("squash")
    .description("replace the straight line of revisions FROM:TO with one revision producing the same schema (verified on scratch databases)")
    .argument("<range>", "FROM:TO, the first and last revision to fold together")
    .requiredOption("-m, --message <message>", "message of the new revision")
    .option("--rev-id <id>", "use this id instead of a generated one")
    .option("--scratch <where>", "scratch databases: auto, pglite (in memory) or server (temporary databases beside the configured one)")
    .option("--delete", "delete the replaced files instead of moving them into archive/")
    .option("--allow-data-changes", "squash although revisions in the range change data (those changes are not carried over)")
    .action(async (range: string, flags: SquashFlags, command: Command) => {
      if (flags.scratch !== undefined && !["auto", "pglite", "server"].includes(flags.scratch)) {
        throw new UsageError(`--scratch expects one of auto, pglite, server, got "${flags.scratch}".`);
      }
      const { squash } = await import("../../api/squash.js");
      const result = await squash({
        ...cli.apiOptions(command),
        range,
        message: flags.message,
        ...(flags.revId === undefined ? {} : { revId: flags.revId }),
        ...(flags.scratch === undefined ? {} : { scratch: flags.scratch as ScratchMode }),
        ...(flags.delete ? { oldFiles: "delete" as const } : {}),
        ...(flags.allowDataChanges ? { allowDataChanges: true } : {}),
      });
      cli.print(command, result, (r) => [
        `Generating ${r.path} ... done`,
        `Replaces ${r.replaces.join(", ")} (${r.operations} operation(s), verified on a scratch database).`,
        r.archived.length > 0 ? `Moved the replaced files to ${dirnameOf(r.archived[0]!)}.` : "Deleted the replaced files.",
        ...(r.children.length > 0 ? [`${r.children.join(", ")} now build${r.children.length === 1 ? "s" : ""} on ${r.id}.`] : []),
      ]);
    });
}

function dirnameOf(path: string): string {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return slash < 0 ? "." : path.slice(0, slash);
}

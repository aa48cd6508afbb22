import type { Command } from "commander";
import type { CliContext } from "../context.js";

interface RevisionFlags {
  message?: string;
  revId?: string;
  head?: string;
  splice: boolean;
  branchLabel: string[];
  dependsOn: string[];
  versionPath?: string;
  sql: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command, cli: CliContext): void {
  program
    .command("revision")
    .description("create a new revision file")
    .option("-m, --message <message>", "what the revision does")
    .option("--rev-id <id>", "use this id instead of a generated one")
    .option("--head <target>", "the head to build on (default: head; `base` starts a new root)")
    .option("--splice", "allow --head to name a revision that is not a head (starts a branch)")
    .option("--branch-label <label>", "branch label for the new revision (repeatable)", collect, [] as string[])
    .option("--depends-on <revision>", "revision or label this one depends on (repeatable)", collect, [] as string[])
    .option("--version-path <dir>", "the versions folder to write into")
    .option("--sql", "write an SQL revision (.sql) instead of TypeScript")
    .action(async (options: RevisionFlags, command: Command) => {
      const { createRevision } = await import("../../api/revision.js");
      const result = await createRevision({
        ...cli.apiOptions(command),
        message: options.message ?? "",
        splice: options.splice,
        branchLabels: options.branchLabel,
        dependsOn: options.dependsOn,
        format: options.sql ? "sql" : "ts",
        ...(options.revId === undefined ? {} : { revId: options.revId }),
        ...(options.head === undefined ? {} : { head: options.head }),
        ...(options.versionPath === undefined ? {} : { versionPath: options.versionPath }),
      });
      cli.print(command, result, (r) => [`Generating ${r.path} ... done`]);
    });
}

import type { Command } from "commander";
import { confirm } from "../confirm.js";
import type { RenameCandidate } from "../../schema/renames.js";
import type { CliContext } from "../context.js";
import { parseShadow } from "./drift.js";

interface RevisionFlags {
  message?: string;
  revId?: string;
  head?: string;
  splice: boolean;
  branchLabel: string[];
  dependsOn: string[];
  versionPath?: string;
  sql: boolean;
  autogenerate: boolean;
  rename: string[];
  allowDrop: boolean;
  allowEmpty: boolean;
  schema: string[];
  shadow?: string;
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
    .option("--autogenerate", "write the operations that bring the database (at head) to the declared schema")
    .option("--rename <old=new>", "with --autogenerate: answer a rename candidate, e.g. users.fullname=full_name or old_table=new_table (repeatable)", collect, [] as string[])
    .option("--allow-drop", "with --autogenerate: accept dropping tables or columns that look renamed")
    .option("--allow-empty", "with --autogenerate: write a revision even when nothing changed")
    .option("--schema <glob>", "with --autogenerate: SQL schema files or a DSL module (repeatable)", collect, [] as string[])
    .option("--shadow <kind>", "with --autogenerate: where SQL schema files are applied: auto, pglite or server")
    .action(async (options: RevisionFlags, command: Command) => {
      if (options.autogenerate) {
        await autogenerateRevision(cli, command, options);
        return;
      }
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

async function autogenerateRevision(cli: CliContext, command: Command, options: RevisionFlags): Promise<void> {
  const { UsageError } = await import("../../errors.js");
  if (options.sql) throw new UsageError("--autogenerate writes a TypeScript revision; leave out --sql.");
  if (options.splice || options.dependsOn.length > 0) throw new UsageError("--autogenerate builds on a head; leave out --splice and --depends-on.");
  const { autogenerate } = await import("../../api/schema.js");
  const result = await autogenerate({
    ...cli.apiOptions(command),
    message: options.message ?? "",
    renames: options.rename,
    allowDrop: options.allowDrop === true,
    allowEmpty: options.allowEmpty === true,
    branchLabels: options.branchLabel,
    // Off a terminal nobody can answer, so candidates must stay an error (answered by --rename or --allow-drop).
    ...(cli.io.isTTY && process.stdin.isTTY ? { ask: (candidate: RenameCandidate) => confirm(cli.io, `${candidate.message} Treat it as a rename?`) } : {}),
    ...(options.schema.length === 0 ? {} : { schema: options.schema }),
    ...(options.shadow === undefined ? {} : { shadow: parseShadow(options.shadow) }),
    ...(options.revId === undefined ? {} : { revId: options.revId }),
    ...(options.head === undefined ? {} : { head: options.head }),
    ...(options.versionPath === undefined ? {} : { versionPath: options.versionPath }),
  });
  cli.print(command, result, (r) => [r.summary, ...r.manual.map((note) => `manual: ${note}`)]);
}

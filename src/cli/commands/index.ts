import type { CommandEntry } from "../command.js";

/**
 * Every command, in the order `stratum --help` lists them. To add one, write
 * src/cli/commands/NAME.ts exporting `register(program, cli)` and add a line here.
 */
export const commands: CommandEntry[] = [
  { name: "init", summary: "create a config file, a versions folder and a revision template", load: () => import("./init.js") },
  { name: "revision", summary: "create a new revision file", load: () => import("./revision.js") },
  { name: "upgrade", summary: "apply revisions up to a target", load: () => import("./upgrade.js") },
  { name: "downgrade", summary: "revert revisions down to a target", load: () => import("./downgrade.js") },
  { name: "stamp", summary: "set the version table without running revisions", load: () => import("./stamp.js") },
  { name: "current", summary: "show the revisions the database is at", load: () => import("./current.js") },
  { name: "status", summary: "list pending revisions (exit 1 when there are any)", load: () => import("./status.js") },
  { name: "history", summary: "list revisions in order", load: () => import("./history.js") },
  { name: "heads", summary: "show the heads of the revision graph", load: () => import("./heads.js") },
  { name: "branches", summary: "show the branch points of the revision graph", load: () => import("./branches.js") },
  { name: "show", summary: "show one revision", load: () => import("./show.js") },
  { name: "merge", summary: "create a revision that merges several heads", load: () => import("./merge.js") },
  { name: "ensure-version", summary: "create the version and history tables", load: () => import("./ensure-version.js") },
  { name: "verify", summary: "check applied revisions against their files", load: () => import("./verify.js") },
  { name: "repair", summary: "accept an edited revision file or clear a failed step", load: () => import("./repair.js") },
  { name: "import-sql", summary: "turn a folder of legacy .sql files into revisions", load: () => import("./import-sql.js") },
  { name: "graph", summary: "draw the revision graph (text, html, mermaid, dot)", load: () => import("./graph.js") },
  { name: "check-order", summary: "fail when the graph has several heads or needs a merge", load: () => import("./check-order.js") },
  { name: "log", summary: "show the history table: who applied what, when", load: () => import("./log.js") },
  { name: "test", summary: "test the revisions on a scratch database (stairway, base to head, head to base)", load: () => import("./test.js") },
  { name: "squash", summary: "replace a linear range of revisions with one revision", load: () => import("./squash.js") },
  { name: "check", summary: "compare the declared schema with the database at head (exit 1 when they differ)", load: () => import("./check.js") },
  { name: "drift", summary: "compare the database with the schema its revisions produce", load: () => import("./drift.js") },
  { name: "baseline", summary: "write a first revision that recreates an existing database", load: () => import("./baseline.js") },
  { name: "lint", summary: "check revisions against the safety rules (exit 1 on errors)", load: () => import("./lint.js") },
];

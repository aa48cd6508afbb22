import type { Command } from "commander";
import type { CheckResult, SuiteReport } from "../../testing/suite.js";
import type { KitStep, ScratchMode } from "../../testing/options.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../../errors.js";

interface TestFlags {
  stairway?: boolean;
  all?: boolean;
  scratch?: string;
  schema?: string[];
}

const SCRATCH_MODES: readonly ScratchMode[] = ["auto", "pglite", "server"];

export function register(program: Command, cli: CliContext): void {
  program
    .command("test")
    .description("test the revisions on a scratch database: single head, base to head, head to base (exit 1 when a check fails)")
    .option("--stairway", "only the stairway: each revision up, down and up again, comparing schemas")
    .option("--all", "every check: the default ones, the stairway, and the declared schema against the revisions")
    .option("--scratch <where>", "scratch database: auto, pglite (in memory) or server (a temporary database beside the configured one)")
    .option("--schema <glob...>", "declared schema for the model check (default: the config's)")
    .action(async (flags: TestFlags, command: Command) => {
      const scratch = parseScratch(flags.scratch);
      const { test } = await import("../../api/testing.js");
      const globals = cli.globals(command);
      const lines = !globals.json && !globals.quiet;
      const started = performance.now();
      const { onEvent: _ignored, ...common } = cli.apiOptions(command);
      const report = await test({
        ...common,
        ...(flags.stairway ? { stairway: true } : {}),
        ...(flags.all ? { all: true } : {}),
        ...(scratch === undefined ? {} : { scratch }),
        ...(flags.schema === undefined ? {} : { schema: flags.schema }),
        ...(lines ? { onStep: (step: KitStep) => cli.io.stdout(`${stepLine(step, cli.io.isTTY, performance.now() - started)}\n`) } : {}),
        onCheck: (result) => {
          if (result.status === "running") return;
          if (globals.json) return;
          if (globals.quiet && result.status !== "failed") return;
          cli.io.stdout(`${checkLine(result)}\n`);
        },
      });
      if (globals.json) cli.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else cli.io.stdout(`${summaryLine(report)}\n`);
      if (!report.ok) cli.exitCode = 1;
    });
}

function parseScratch(value: string | undefined): ScratchMode | undefined {
  if (value === undefined) return undefined;
  if ((SCRATCH_MODES as readonly string[]).includes(value)) return value as ScratchMode;
  throw new UsageError(`--scratch expects one of ${SCRATCH_MODES.join(", ")}, got "${value}".`);
}

/**
 * `  ok    upgrade a1b2c3 (create users)  12 ms`. On a terminal the line also shows the revision's
 * place (n of m) and the time since the command started, in columns.
 */
export function stepLine(step: KitStep, tty: boolean, elapsedMs = 0): string {
  const status = step.ok ? "ok  " : "FAIL";
  const what = `${step.action}${step.revision ? ` ${step.revision}` : ""}${step.message ? ` (${step.message})` : ""}`;
  const time = `${step.durationMs} ms`;
  const place = step.index === undefined || step.total === undefined ? "" : `[${step.index + 1}/${step.total}] `;
  const line = tty
    ? `  ${status}  ${place.padStart(10)}${what.padEnd(60)} ${time.padStart(8)}  ${(elapsedMs / 1000).toFixed(1).padStart(6)} s`
    : `  ${status}  ${what}  ${time}`;
  return step.ok || step.detail === undefined ? line : `${line}\n        ${step.detail.split("\n").join("\n        ")}`;
}

export function checkLine(result: CheckResult): string {
  const head = `${result.status.toUpperCase()} ${result.check} (${result.durationMs} ms)`;
  if (result.status === "passed") return head;
  return `${head}: ${result.message ?? ""}`;
}

export function summaryLine(report: SuiteReport): string {
  const count = (status: CheckResult["status"]) => report.checks.filter((c) => c.status === status).length;
  const skipped = count("skipped");
  return `${report.ok ? "All checks passed" : "Checks failed"}: ${count("passed")} passed, ${count("failed")} failed${skipped ? `, ${skipped} skipped` : ""} in ${report.durationMs} ms.`;
}

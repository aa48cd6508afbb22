import { StratumError } from "../errors.js";
import type { CliIO } from "./io.js";

/** Not a StratumError means a bug in Stratum: reported as such, with its own exit code. */
export const INTERNAL_ERROR_EXIT = 70;

/** Prints an error the way users should see it and returns the exit code. */
export function reportError(error: unknown, io: CliIO, debug: boolean, json: boolean): number {
  if (error instanceof StratumError) {
    // One line whatever the message quotes (a statement, a database's multi-line error).
    io.stderr(`error: ${oneLine(error.message)}\n`);
    if (error.hint) io.stderr(`hint: ${error.hint}\n`);
    if (debug && error.stack) io.stderr(`${causeChain(error)}\n`);
    if (json) io.stdout(`${JSON.stringify({ error: { type: error.name, message: error.message, hint: error.hint, exitCode: error.exitCode } })}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`internal error: ${message}\n`);
  if (debug) {
    io.stderr(`${causeChain(error)}\n`);
    return INTERNAL_ERROR_EXIT;
  }
  io.stderr("hint: run again with --debug for the stack trace, and report it as a bug\n");
  return INTERNAL_ERROR_EXIT;
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " ");
}

function causeChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push("caused by:");
  }
  return parts.join("\n");
}

/**
 * Every error a user can cause is a StratumError: one sentence, an exit code, and
 * (where it helps) the file and line. The CLI prints `message` and exits with `exitCode`;
 * anything that is not a StratumError is a bug and is reported as such.
 */

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  /** A check failed: pending revisions, drift, lint errors, a verify mismatch. */
  checkFailed: 1,
  /** Bad usage or bad input: flags, targets, revision files, config. */
  usage: 2,
  /** The database failed: unreachable, bad credentials, a statement error. */
  database: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorLocation {
  file?: string;
  line?: number;
}

export class StratumError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly location: ErrorLocation | undefined;
  /** A short suggestion printed after the message. */
  readonly hint: string | undefined;

  constructor(
    message: string,
    options: { exitCode?: ExitCodeValue; location?: ErrorLocation; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.location = options.location;
    this.hint = options.hint;
  }
}

/** Bad flags, targets or arguments. */
export class UsageError extends StratumError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.usage });
  }
}

/** A revision file, config file or schema file that cannot be used; names the file and line. */
export class InputError extends StratumError {
  constructor(message: string, location?: ErrorLocation, options: { hint?: string; cause?: unknown } = {}) {
    super(withLocation(message, location), { ...options, location, exitCode: ExitCode.usage });
  }
}

/** A problem with the revision graph or a target string. */
export class GraphError extends StratumError {
  constructor(message: string, options: { hint?: string } = {}) {
    super(message, { ...options, exitCode: ExitCode.usage });
  }
}

/** The database refused a connection or a statement. */
export class DatabaseError extends StratumError {
  /** SQLSTATE (PostgreSQL) or the driver's error code, when known. */
  readonly code: string | undefined;
  constructor(message: string, options: { code?: string; hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.database });
    this.code = options.code;
  }
}

/** A check that ran and found a problem (pending revisions, drift, lint errors). */
export class CheckFailed extends StratumError {
  constructor(message: string, options: { hint?: string } = {}) {
    super(message, { ...options, exitCode: ExitCode.checkFailed });
  }
}

export function withLocation(message: string, location?: ErrorLocation): string {
  if (!location?.file) return message;
  const where = location.line === undefined ? location.file : `${location.file}:${location.line}`;
  return `${where}: ${message}`;
}

/** Strips the password from anything that looks like a connection URL. */
export function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)([^@\s/]*)@/gi, "$1***@");
}

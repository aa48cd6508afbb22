import { DatabaseError, redactUrls } from "../errors.js";

/** The fields client libraries put on their errors; all optional because each library differs. */
interface DriverErrorShape {
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  message?: unknown;
  sqlMessage?: unknown;
}

function shape(error: unknown): DriverErrorShape {
  return typeof error === "object" && error !== null ? (error as DriverErrorShape) : {};
}

function messageOf(error: unknown): string {
  const e = shape(error);
  const text = typeof e.sqlMessage === "string" ? e.sqlMessage : typeof e.message === "string" ? e.message : String(error);
  return redactUrls(text.trim());
}

/** A PostgreSQL SQLSTATE, a MySQL errno (as text) or SQLite's code name such as SQLITE_BUSY. */
export function errorCode(error: unknown): string | undefined {
  const e = shape(error);
  // mysql2 puts a symbolic name in `code` (ER_...) and the server's number in `errno`.
  if (typeof e.errno === "number" && typeof e.code === "string" && e.code.startsWith("ER_")) return String(e.errno);
  if (typeof e.code === "string" || typeof e.code === "number") return String(e.code);
  if (typeof e.errno === "number") return String(e.errno);
  return undefined;
}

/**
 * Turns a failed statement into a DatabaseError carrying the database's code and message.
 * The runner adds the revision and the statement around it.
 */
export function statementError(error: unknown): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const code = errorCode(error);
  return new DatabaseError(messageOf(error), { ...(code === undefined ? {} : { code }), cause: error });
}

/** Turns a failed connection attempt into one sentence naming the (redacted) URL and the reason. */
export function connectionError(error: unknown, displayUrl: string): DatabaseError {
  const e = shape(error);
  const code = errorCode(error);
  const raw = messageOf(error);
  const mysqlCode = typeof e.code === "string" ? e.code : undefined;
  let reason: string;
  if (code === "ECONNREFUSED" || mysqlCode === "ECONNREFUSED") reason = "the connection was refused (is the server running?)";
  else if (code === "28P01" || code === "28000" || code === "1045" || code === "1698" || e.sqlState === "28000")
    reason = `authentication failed: ${raw}`;
  else if (code === "3D000" || code === "1049" || mysqlCode === "ER_BAD_DB_ERROR") reason = `the database does not exist: ${raw}`;
  else if (code === "ENOTFOUND" || code === "EAI_AGAIN") reason = "the host name could not be resolved";
  else if (code === "ETIMEDOUT" || code === "EHOSTUNREACH" || code === "ENETUNREACH") reason = "the host is unreachable";
  else reason = raw;
  return new DatabaseError(`Cannot connect to ${displayUrl}: ${reason}.`.replace(/\.\.$/, "."), {
    ...(code === undefined ? {} : { code }),
    cause: error,
  });
}

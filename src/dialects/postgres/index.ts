import type { Dialect } from "../types.js";
import { qualify, quoteIdent, quoteLiteral } from "./quote.js";
import { markEnumValueUse, render } from "./render.js";
import { splitStatements } from "./split.js";
import { isLockTimeout, lock, state, timeoutStatements } from "./state.js";

export const postgresDialect: Dialect = {
  name: "postgresql",
  capabilities: { transactionalDdl: true, advisoryLock: true, ddlPerTransaction: false, schemas: true, lockTimeout: true },
  quoteIdent,
  qualify,
  quoteLiteral,
  render,
  splitStatements,
  markCommitPoints: markEnumValueUse,
  state,
  lock,
  timeoutStatements,
  isLockTimeout,
  // Introspection is a fifth of the dialect's code and only schema commands use it.
  introspect: async (connection, options) => (await import("./introspect.js")).introspect(connection, options),
};

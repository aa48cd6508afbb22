import type { Dialect } from "../types.js";
import { introspect } from "./introspect.js";
import { qualify, quoteIdent, quoteLiteral } from "./quote.js";
import { render } from "./render.js";
import { splitStatements } from "./split.js";
import { isLockTimeout, lock, state, timeoutStatements } from "./state.js";

export const mysqlDialect: Dialect = {
  name: "mysql",
  capabilities: { transactionalDdl: false, advisoryLock: true, ddlPerTransaction: false, schemas: false, lockTimeout: true },
  quoteIdent,
  qualify,
  quoteLiteral,
  render,
  splitStatements,
  state,
  lock,
  timeoutStatements,
  isLockTimeout,
  introspect,
};

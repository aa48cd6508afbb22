import type { Dialect } from "../types.js";
import { introspect } from "./introspect.js";
import { qualify, quoteIdent, quoteLiteral } from "./quote.js";
import { runSqliteBatch } from "./batch.js";
import { render } from "./render.js";
import { prepareRun, verifyStep } from "./run-settings.js";
import { splitStatements } from "./split.js";
import { isLockTimeout, lock, state, timeoutStatements } from "./state.js";

export const sqliteDialect: Dialect = {
  name: "sqlite",
  capabilities: { transactionalDdl: true, advisoryLock: false, ddlPerTransaction: false, schemas: false, lockTimeout: false },
  quoteIdent,
  qualify,
  quoteLiteral,
  render,
  runBatch: runSqliteBatch,
  prepareRun,
  verifyStep,
  splitStatements,
  state,
  lock,
  timeoutStatements,
  isLockTimeout,
  introspect,
};

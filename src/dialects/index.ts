import type { DialectName } from "../drivers/types.js";
import { mysqlDialect } from "./mysql/index.js";
import { postgresDialect } from "./postgres/index.js";
import { sqliteDialect } from "./sqlite/index.js";
import type { Dialect } from "./types.js";

const dialects: Record<DialectName, Dialect> = {
  postgresql: postgresDialect,
  sqlite: sqliteDialect,
  mysql: mysqlDialect,
};

export function getDialect(name: DialectName): Dialect {
  return dialects[name];
}

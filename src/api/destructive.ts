/**
 * Finds what a downgrade would destroy (tables and columns with their data), so that it runs
 * only after someone confirms: on a terminal by answering, elsewhere with --yes.
 */
import type { Dialect } from "../dialects/types.js";
import type { Step } from "../graph/types.js";
import { RecordingExecutor } from "../ops/executor.js";
import { Op } from "../ops/op.js";
import type { Operation, TableRef } from "../ops/types.js";
import type { LoadedRevision } from "../runner/types.js";

/** "table users", "column users.email", ... for every drop the downgrade steps would run. */
export async function destroyedByDowngrade(
  steps: readonly Step[],
  revisions: ReadonlyMap<string, LoadedRevision>,
  dialect: Dialect,
  args: Readonly<Record<string, string>>,
): Promise<string[]> {
  const found = new Set<string>();
  for (const step of steps) {
    if (step.direction !== "down") continue;
    const revision = revisions.get(step.revision);
    if (!revision) continue;
    const definition = await revision.load();
    if (!definition.downgrade) continue;
    const recorder = new RecordingExecutor(dialect.name);
    try {
      await definition.downgrade(new Op(recorder), { revision: step.revision, dialect: dialect.name, args, offline: true });
    } catch {
      // A downgrade that needs the database to decide what it does cannot be read ahead; the
      // run itself reports its errors.
    }
    for (const operation of recorder.operations) for (const item of drops(operation)) found.add(item);
  }
  return [...found];
}

function drops(operation: Operation): string[] {
  switch (operation.kind) {
    case "dropTable":
      return [`table ${tableName(operation.table)}`];
    case "dropColumn":
      return [`column ${tableName(operation.table)}.${operation.column}`];
    case "dropSchema":
      return [`schema ${operation.name}`];
    case "batch":
    case "autocommit":
      return operation.ops.flatMap(drops);
    case "execute":
      return sqlDrops(operation.sql);
    default:
      return [];
  }
}

function tableName(table: TableRef): string {
  return typeof table === "string" ? table : table.schema ? `${table.schema}.${table.name}` : table.name;
}

const NAME = String.raw`((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)`;
const DROP_TABLE = new RegExp(String.raw`\bdrop\s+table\s+(?:if\s+exists\s+)?${NAME}`, "gi");
const DROP_COLUMN = new RegExp(String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${NAME}[^;]*?\bdrop\s+(?:column\s+)?(?:if\s+exists\s+)?${NAME}`, "gi");
const DROP_SCHEMA = new RegExp(String.raw`\bdrop\s+schema\s+(?:if\s+exists\s+)?${NAME}`, "gi");

/**
 * Raw SQL read conservatively: a false alarm only costs a question, so a plain pattern over
 * the text (comments removed) is enough here; lint reads SQL with the real parser.
 */
function sqlDrops(text: string): string[] {
  const sql = text.replace(/--[^\n]*/g, " ").replace(/\/\*[\s\S]*?\*\//g, " ");
  const found: string[] = [];
  for (const match of sql.matchAll(DROP_TABLE)) found.push(`table ${match[1]}`);
  for (const match of sql.matchAll(DROP_COLUMN)) {
    const column = match[2]!;
    // ALTER TABLE ... DROP CONSTRAINT / DROP DEFAULT / DROP NOT NULL drop no data.
    if (!/^(constraint|default|not|identity|expression)$/i.test(column)) found.push(`column ${match[1]}.${column}`);
  }
  for (const match of sql.matchAll(DROP_SCHEMA)) found.push(`schema ${match[1]}`);
  return found;
}

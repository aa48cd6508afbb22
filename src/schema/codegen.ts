/**
 * Writes operations as readable TypeScript revision code: `await op.createTable("users", [...])`
 * through the `op` facade's methods, `op.run({ ... })` for anything without one.
 */
import type { Operation } from "../ops/types.js";
import { containsSql, printCall, printValue } from "./codegen-values.js";
import type { SchemaModel } from "./model.js";
import { diffSchemas } from "./diff.js";
import { emptySchema } from "./model.js";

export interface RenderOptions {
  /** Keep each operation's `previous` state in the code (off: the downgrade is written out anyway). */
  includePrevious?: boolean;
}

type Fields = Record<string, unknown>;

/** `op`'s fields minus those passed positionally, minus `kind`, `previous` unless wanted, and undefined ones. */
function optionsOf(op: Operation, positional: string[], options: RenderOptions): Fields | undefined {
  const rest: Fields = {};
  for (const [key, value] of Object.entries(op)) {
    if (key === "kind" || positional.includes(key) || value === undefined) continue;
    if (key === "previous" && !options.includePrevious) continue;
    rest[key] = value;
  }
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** The facade method and its arguments for one operation, or undefined to use `op.run`. */
function facadeCall(op: Operation, options: RenderOptions): { method: string; args: unknown[] } | undefined {
  const call = (method: string, positional: string[]) => {
    const fields = op as unknown as Fields;
    return { method, args: [...positional.map((key) => fields[key]), optionsOf(op, positional, options)] };
  };
  switch (op.kind) {
    case "createTable":
      return call("createTable", ["table", "columns"]);
    case "dropTable":
      return call("dropTable", ["table"]);
    case "renameTable":
      return call("renameTable", ["table", "newName"]);
    case "setTableComment":
      return call("setTableComment", ["table", "comment"]);
    case "addColumn":
      return call("addColumn", ["table", "column"]);
    case "dropColumn":
      return call("dropColumn", ["table", "column"]);
    case "alterColumn": {
      const changes = optionsOf(op, ["table", "column"], options) ?? {};
      return { method: "alterColumn", args: [op.table, op.column, changes] };
    }
    case "createIndex":
      return call("createIndex", ["name", "table", "keys"]);
    case "dropIndex":
      return call("dropIndex", ["name"]);
    case "createPrimaryKey":
      return { method: "createPrimaryKey", args: [op.name, op.table, op.columns] };
    case "createUniqueConstraint":
      return call("createUniqueConstraint", ["name", "table", "columns"]);
    case "createForeignKey":
      return call("createForeignKey", ["name", "table", "refTable", "columns", "refColumns"]);
    case "createCheckConstraint":
      return call("createCheckConstraint", ["name", "table", "expression"]);
    case "createExcludeConstraint":
      return call("createExcludeConstraint", ["name", "table", "elements"]);
    case "validateConstraint":
      return call("validateConstraint", ["name", "table"]);
    case "dropConstraint":
      return call("dropConstraint", ["name", "table"]);
    case "createSchema":
      return call("createSchema", ["name"]);
    case "dropSchema":
      return call("dropSchema", ["name"]);
    case "createExtension":
      return call("createExtension", ["name"]);
    case "dropExtension":
      return call("dropExtension", ["name"]);
    case "createEnum":
      return call("createEnum", ["name", "values"]);
    case "dropEnum":
      return call("dropEnum", ["name"]);
    case "addEnumValue":
      return call("addEnumValue", ["name", "value"]);
    case "renameEnumValue":
      return call("renameEnumValue", ["name", "from", "to"]);
    case "createSequence":
      return call("createSequence", ["name"]);
    case "dropSequence":
      return call("dropSequence", ["name"]);
    case "createView":
      if (op.materialized) {
        const rest = optionsOf(op, ["name", "definition", "materialized"], options);
        return { method: "createMaterializedView", args: [op.name, op.definition, rest] };
      }
      return call("createView", ["name", "definition"]);
    case "dropView":
      if (op.materialized) {
        const rest = optionsOf(op, ["name", "materialized"], options);
        return { method: "dropMaterializedView", args: [op.name, rest] };
      }
      return call("dropView", ["name"]);
    case "refreshMaterializedView":
      return call("refreshMaterializedView", ["name"]);
    case "setComment":
      return call("setComment", ["target", "comment"]);
    case "execute": {
      const rest = op.nonTransactional ? { nonTransactional: true } : undefined;
      return { method: "execute", args: [op.sql, op.params, rest] };
    }
    default:
      return undefined;
  }
}

function renderOperation(op: Operation, indent: string, options: RenderOptions): string {
  if (op.kind === "autocommit" || op.kind === "batch") {
    const inner = indent + "  ";
    const body = op.ops.map((o) => inner + renderOperation(o, inner, options)).join("\n");
    const head = op.kind === "batch" ? `op.batch(${printValue(op.table)}, ` : "op.autocommit(";
    return `await ${head}async (op) => {\n${body}\n${indent}});`;
  }
  const call = facadeCall(op, options);
  if (!call) {
    const plain = options.includePrevious ? op : stripPrevious(op);
    return `await ${printCall("op.run", [plain], indent)};`;
  }
  // An `undefined` in the middle (createPrimaryKey without a name, execute without params) stays.
  return `await ${printCall(`op.${call.method}`, [...call.args], indent)};`;
}

function stripPrevious(op: Operation): Operation {
  const { previous: _previous, ...rest } = op as Operation & { previous?: unknown };
  void _previous;
  return rest as Operation;
}

/** The statements of an upgrade or downgrade body, one `await op...` per operation. */
export function renderOperations(ops: readonly Operation[], options: RenderOptions & { indent?: string; manual?: readonly string[] } = {}): string {
  const indent = options.indent ?? "";
  const lines: string[] = [];
  for (const note of options.manual ?? []) lines.push(`// Needs a hand-written migration: ${note}`);
  for (const op of ops) lines.push(renderOperation(op, indent, options));
  if (lines.length === 0) return "// Nothing to do.";
  return lines.join(`\n${indent}`);
}

/** The import lines the rendered operations need besides `revision` (`sql` for expressions). */
export function renderImports(...opLists: readonly (readonly Operation[])[]): string {
  return opLists.some((ops) => containsSql(ops)) ? `import { sql } from "stratum";\n` : "";
}

export interface RevisionSource {
  id: string;
  parents: readonly string[];
  message?: string;
  createDate?: string;
  branchLabels?: readonly string[];
  dependsOn?: readonly string[];
  upgradeOps: readonly Operation[];
  downgradeOps: readonly Operation[];
  /** Sentences about changes the operations do not cover; written as comments in upgrade. */
  manual?: readonly string[];
  /** The same for the downgrade. */
  downgradeManual?: readonly string[];
}

/** A complete revision file for the operations. */
export function renderRevisionSource(source: RevisionSource, options: RenderOptions = {}): string {
  const needsSql = containsSql(source.upgradeOps) || containsSql(source.downgradeOps);
  const header: string[] = [
    `  id: ${printValue(source.id)},`,
    `  parents: ${printValue([...source.parents], "  ", 11)},`,
  ];
  if (source.message !== undefined) header.push(`  message: ${printValue(source.message)},`);
  if (source.createDate !== undefined) header.push(`  createDate: ${printValue(source.createDate)},`);
  if (source.branchLabels && source.branchLabels.length > 0) header.push(`  branchLabels: ${printValue([...source.branchLabels])},`);
  if (source.dependsOn && source.dependsOn.length > 0) header.push(`  dependsOn: ${printValue([...source.dependsOn])},`);
  const body = (ops: readonly Operation[], manual?: readonly string[]) =>
    renderOperations(ops, { ...options, indent: "    ", ...(manual ? { manual } : {}) });
  return [
    needsSql ? `import { revision, sql } from "stratum";` : `import { revision } from "stratum";`,
    "",
    "export default revision({",
    ...header,
    "",
    "  async upgrade(op) {",
    `    ${body(source.upgradeOps, source.manual)}`,
    "  },",
    "",
    "  async downgrade(op) {",
    `    ${body(source.downgradeOps, source.downgradeManual)}`,
    "  },",
    "});",
    "",
  ].join("\n");
}

/** Every operation that creates `model` from an empty database (for baselines). */
export function createSchemaOps(model: SchemaModel): Operation[] {
  return diffSchemas(emptySchema(model.dialect), model, { allowDrop: true }).operations;
}

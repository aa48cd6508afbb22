/**
 * Everything `import-sql` decides before it writes a byte: which files, in what order, paired
 * with which rollbacks, each one read, decoded and parsed. Any bad input throws here, so a
 * failed import leaves the versions folder untouched.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { InputError } from "../errors.js";
import { analyzeSql, analyzeWithSplitter, type StatementSplitter, type StatementWarning } from "./analyze.js";
import { decodeUtf8 } from "./decode.js";
import { orderSqlFiles, parseOrderList, type OrderList } from "./order.js";
import { withoutTransactionControl } from "./transaction-control.js";

export interface PlannedImport {
  /** The forward file's name. */
  file: string;
  rollback: string | undefined;
  id: string;
  message: string;
  upgrade: string;
  downgrade: string;
  warnings: string[];
}

export interface PlanImportOptions {
  /** The folder of legacy SQL files. */
  dir: string;
  /** A file listing the forward files in the order they run. */
  orderFile?: string;
  /** How the folder is named in messages. */
  shownDir?: string;
  /** The splitter of the project's database when it is not PostgreSQL (which gets the full parser). */
  split?: StatementSplitter;
}

export async function planImport(options: PlanImportOptions): Promise<PlannedImport[]> {
  const shownDir = options.shownDir ?? options.dir;
  const names = await listFolder(options.dir, shownDir);
  const order = options.orderFile === undefined ? undefined : await readOrderFile(options.orderFile);
  const { files } = orderSqlFiles(shownDir, names, order);
  const planned: PlannedImport[] = [];
  for (const entry of files) {
    const forward = await readSql(join(options.dir, entry.name), `${shownDir}/${entry.name}`, options.split);
    const rollback = entry.rollback === undefined ? undefined : await readSql(join(options.dir, entry.rollback), `${shownDir}/${entry.rollback}`, options.split);
    const warnings: string[] = [];
    if (entry.samePrefix.length > 0) {
      warnings.push(`duplicate prefix ${String(entry.prefix).padStart(3, "0")} (also ${entry.samePrefix.join(", ")}); ordered by name`);
    }
    warnings.push(...forward.warnings.map((w) => `line ${w.line}: ${w.message}`));
    if (rollback) warnings.push(...rollback.warnings.filter((w) => w.message.startsWith("removed")).map((w) => `rollback line ${w.line}: ${w.message}`));
    if (!entry.rollback) warnings.push("no rollback file: the downgrade only moves the version table");
    planned.push({
      file: entry.name,
      rollback: entry.rollback,
      id: importedId(entry.name, forward.text),
      message: messageFor(entry.name),
      upgrade: forward.body,
      downgrade: rollback?.body ?? `-- No rollback file was found for ${entry.name}; write the downgrade here.`,
      warnings,
    });
  }
  const seen = new Map<string, string>();
  for (const item of planned) {
    const other = seen.get(item.id);
    if (other !== undefined) throw new InputError(`${item.file} and ${other} have the same name and content; remove one of them`, { file: shownDir });
    seen.set(item.id, item.file);
  }
  return planned;
}

async function listFolder(dir: string, shownDir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such folder" : code === "ENOTDIR" ? "not a folder" : (error as Error).message;
    throw new InputError(`cannot read the legacy SQL folder: ${why}`, { file: shownDir });
  }
}

async function readOrderFile(path: string): Promise<OrderList> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read the order file: ${code === "ENOENT" ? "no such file" : (error as Error).message}`, { file: path });
  }
  const entries = parseOrderList(decodeUtf8(bytes, path)).map((entry) => ({ ...entry, name: basename(entry.name) }));
  return { file: path, entries };
}

interface ReadSql {
  text: string;
  /** The text to put in the revision: transaction control commented out. */
  body: string;
  warnings: StatementWarning[];
}

async function readSql(path: string, shown: string, split: StatementSplitter | undefined): Promise<ReadSql> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError(`cannot read file: ${(error as Error).message}`, { file: shown });
  }
  const text = decodeUtf8(bytes, shown);
  const marker = /^[ \t]*--[ \t]*stratum:/m.exec(text);
  if (marker) {
    // Inside a SQL revision such a line would be read as a section marker.
    throw new InputError("a comment starting with \"-- stratum:\" would be read as a revision marker; reword it", { file: shown, line: text.slice(0, marker.index).split("\n").length });
  }
  const analyzed = split === undefined ? await analyzeSql(text, shown) : await analyzeWithSplitter(text, shown, split);
  const body = withoutTransactionControl(text, analyzed.transactionControl);
  const warnings = [
    ...analyzed.warnings,
    ...analyzed.transactionControl.map((t) => ({ line: t.line, message: `removed "${t.sql}": each revision runs in its own transaction` })),
  ].sort((a, b) => a.line - b.line);
  return { text, body: body.trimEnd(), warnings };
}

/** The same file imported twice gets the same id, so a second import is refused rather than duplicated. */
function importedId(name: string, text: string): string {
  return createHash("sha256").update(`${name}\0${text}`).digest("hex").slice(0, 12);
}

/** `004_rss_entity_extraction_schema.sql` → `rss entity extraction schema (imported from 004_...sql)`. */
function messageFor(name: string): string {
  const words = name.replace(/\.sql$/i, "").replace(/^\d+[_\-.\s]*/, "").replace(/[_\-]+/g, " ").trim();
  return `${words || name} (imported from ${name})`;
}

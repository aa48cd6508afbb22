/** Writes new revision files from a template, atomically and without overwriting anything. */
import { randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { copyFile, link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { InputError } from "../errors.js";
import { defaultTemplatePath } from "../package-files.js";
import type { RevisionHeader } from "../graph/types.js";
import { displayPath } from "./display-path.js";
import { DEFAULT_FILE_TEMPLATE, revisionFileName } from "./file-name.js";
import { readHeader } from "./headers.js";
import { validateRevisionId } from "./ids.js";
import { formatSqlHeader } from "./sql-revision.js";
import { renderTemplate } from "./template.js";

export type RevisionFileKind = "ts" | "sql";

export { defaultTemplatePath };

export interface RevisionBody {
  /** Code (TypeScript) or statements (SQL) for the upgrade. */
  upgrade?: string;
  downgrade?: string;
  /** Extra import lines for a TypeScript revision. */
  imports?: string;
}

export interface WriteRevisionOptions {
  dir: string;
  id: string;
  parents: string[];
  message: string;
  branchLabels?: string[];
  dependsOn?: string[];
  kind: RevisionFileKind;
  /** Path of the revision template; defaults to the shipped one for `kind`. */
  template?: string;
  /** File-name template, default `{id}_{slug}`. */
  fileTemplate?: string;
  body?: RevisionBody;
  /** The creation time written to the header and file name; defaults to now. */
  now?: Date;
}

const DEFAULT_BODY: Record<RevisionFileKind, { upgrade: string; downgrade: string }> = {
  ts: { upgrade: "// await op.execute(\"...\");", downgrade: "// await op.execute(\"...\");" },
  sql: { upgrade: "", downgrade: "" },
};

/** Writes the revision and returns its path. */
export async function writeRevisionFile(options: WriteRevisionOptions): Promise<string> {
  const { kind } = options;
  validateRevisionId(options.id);
  for (const parent of options.parents) validateRevisionId(parent);
  const now = options.now ?? new Date();
  const header: Omit<RevisionHeader, "path" | "line"> = {
    id: options.id,
    parents: options.parents,
    // The SQL header is one line.
    message: kind === "sql" ? options.message.replace(/[\r\n]+/g, " ") : options.message,
    branchLabels: options.branchLabels ?? [],
    dependsOn: options.dependsOn ?? [],
    createDate: now.toISOString(),
  };
  const templatePath = options.template ?? defaultTemplatePath(kind);
  let template: string;
  try {
    template = await readFile(templatePath, "utf8");
  } catch (error) {
    throw new InputError(`cannot read revision template: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`, { file: displayPath(templatePath) });
  }
  const text = renderTemplate(template, placeholderValues(kind, header, options.body), displayPath(templatePath));
  const name = `${revisionFileName(options.fileTemplate ?? DEFAULT_FILE_TEMPLATE, { id: header.id, message: header.message, now })}.${kind}`;
  const path = join(options.dir, name);
  checkRoundTrip(path, text, header, templatePath);
  try {
    await mkdir(options.dir, { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create versions folder: ${(error as Error).message}`, { file: displayPath(options.dir) });
  }
  await writeNewFile(path, text);
  return path;
}

function placeholderValues(kind: RevisionFileKind, header: Omit<RevisionHeader, "path" | "line">, body: RevisionBody | undefined): Record<string, string> {
  const upgrade = body?.upgrade ?? DEFAULT_BODY[kind].upgrade;
  const downgrade = body?.downgrade ?? DEFAULT_BODY[kind].downgrade;
  if (kind === "sql") {
    return {
      header: formatSqlHeader(header),
      id: header.id,
      parents: header.parents.join(","),
      message: header.message,
      date: header.createDate ?? "",
      labels: header.branchLabels.join(","),
      depends: header.dependsOn.join(","),
      upgrade,
      downgrade,
    };
  }
  const list = (items: string[]) => `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;
  return {
    imports: body?.imports ?? "",
    id: JSON.stringify(header.id),
    parents: list(header.parents),
    message: JSON.stringify(header.message),
    date: JSON.stringify(header.createDate ?? ""),
    labels: list(header.branchLabels),
    depends: list(header.dependsOn),
    upgrade,
    downgrade,
  };
}

/** A user's template that drops or garbles a header field would write a revision that lies. */
function checkRoundTrip(path: string, text: string, expected: Omit<RevisionHeader, "path" | "line">, templatePath: string): void {
  let actual: RevisionHeader;
  try {
    actual = readHeader(path, text);
  } catch (error) {
    throw new InputError(`revision template does not produce a readable header (${(error as Error).message})`, { file: displayPath(templatePath) });
  }
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const mismatch =
    actual.id !== expected.id ? "id" :
    !same(actual.parents, expected.parents) ? "parents" :
    actual.message !== expected.message ? "message" :
    !same(actual.branchLabels, expected.branchLabels) ? "branch labels" :
    !same(actual.dependsOn, expected.dependsOn) ? "depends-on" : undefined;
  if (mismatch) throw new InputError(`revision template does not write the revision's ${mismatch} into its header`, { file: displayPath(templatePath) });
}

/**
 * Writes `text` to a temporary file beside `path`, then links it into place: the link fails if
 * `path` exists, so nothing is overwritten and no reader ever sees half a file.
 */
export async function writeNewFile(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, text, { flag: "wx" });
  } catch (error) {
    throw new InputError(`cannot write file: ${(error as Error).message}`, { file: displayPath(path) });
  }
  try {
    try {
      await link(temp, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") throw new InputError("file already exists; not overwriting it", { file: displayPath(path) });
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw error;
      // Filesystems without hard links: an exclusive copy still never overwrites.
      await copyFile(temp, path, fsConstants.COPYFILE_EXCL).catch((copyError: NodeJS.ErrnoException) => {
        if (copyError.code === "EEXIST") throw new InputError("file already exists; not overwriting it", { file: displayPath(path) });
        throw copyError;
      });
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Turns the raw fields read from a revision file (TypeScript or SQL form) into a checked header. */
import { InputError } from "../errors.js";
import type { RevisionHeader } from "../graph/types.js";
import { revisionIdProblem } from "./ids.js";

/**
 * Field name → value and where it was read from. `at` is turned into a line number by
 * `lineOf` only when an error needs it, since counting lines costs time on every file.
 */
export type RawHeaderFields = Map<string, { value: string | string[]; at: number }>;

export function buildHeader(displayPath: string, line: number, fields: RawHeaderFields, lineOf: (at: number) => number): RevisionHeader {
  const id = fields.get("id");
  if (id === undefined) throw new InputError("revision header has no id", { file: displayPath, line });
  const idProblem = revisionIdProblem(id.value as string);
  if (idProblem) throw new InputError(idProblem, { file: displayPath, line: lineOf(id.at) });

  const list = (name: string): string[] => {
    const field = fields.get(name);
    if (!field) return [];
    const values = field.value as string[];
    for (const value of values) {
      if (value.trim().length === 0 || value !== value.trim()) {
        throw new InputError(`revision header field "${name}" has an empty or padded entry ${JSON.stringify(value)}`, { file: displayPath, line: lineOf(field.at) });
      }
    }
    return values;
  };
  const parents = list("parents");
  for (const parent of parents) {
    const problem = revisionIdProblem(parent);
    if (problem) throw new InputError(`bad parent: ${problem}`, { file: displayPath, line: lineOf(fields.get("parents")?.at ?? 0) });
  }

  const branchLabels = list("branchLabels");
  for (const label of branchLabels) {
    // Labels appear in targets such as `label@head` and `a:b`, and in the SQL header's lists.
    if (/[@:,\s"'`\\]/.test(label)) {
      throw new InputError(`branch label "${label}" may not contain @ : , quotes or whitespace`, { file: displayPath, line: lineOf(fields.get("branchLabels")?.at ?? 0) });
    }
  }

  const header: RevisionHeader = {
    id: id.value as string,
    parents,
    message: (fields.get("message")?.value as string | undefined) ?? "",
    branchLabels,
    dependsOn: list("dependsOn"),
    path: displayPath,
    line,
  };
  const createDate = fields.get("createDate")?.value as string | undefined;
  if (createDate !== undefined) header.createDate = createDate;
  if (fields.has("replaces")) {
    const replaces = list("replaces");
    for (const replaced of replaces) {
      const problem = revisionIdProblem(replaced);
      if (problem) throw new InputError(`bad entry in replaces: ${problem}`, { file: displayPath, line: lineOf(fields.get("replaces")?.at ?? 0) });
    }
    header.replaces = replaces;
  }
  return header;
}

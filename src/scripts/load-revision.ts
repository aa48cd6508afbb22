/** Loads a TypeScript or JavaScript revision to run it. Headers never need this. */
import { InputError } from "../errors.js";
import type { RevisionHeader } from "../graph/types.js";
import { displayPath } from "./display-path.js";
import { readHeader, readRevisionText } from "./headers.js";
import { recordLoadVerdict } from "./load-verdict.js";
import { errorLineIn, flavorFor, importUserModule } from "./module-loader.js";
import type { RevisionDefinition } from "./revision.js";

/**
 * Imports the revision module and returns its default export. The export must be a revision
 * whose id is the one in the file's header (the header is what planning used). A caller that
 * planned from the header and has read the file passes both, which spares reading and scanning
 * the file again.
 */
export async function loadRevisionModule(path: string, known?: { header: RevisionHeader; text: string; checksum?: string }): Promise<RevisionDefinition> {
  const shown = displayPath(path);
  if (path.endsWith(".sql")) throw new InputError("a SQL revision is read with parseSqlRevision, not loaded as a module", { file: shown });
  const text = known?.text ?? readRevisionText(path);
  const header = known?.header ?? readHeader(path, text);
  let namespace: Record<string, unknown>;
  try {
    namespace = await importUserModule(path, await flavorFor(text), text);
  } catch (error) {
    const line = errorLineIn(error, path);
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "").trim() : String(error);
    throw new InputError(`cannot load revision: ${reason}`, line === undefined ? { file: shown } : { file: shown, line }, { cause: error });
  }
  const definition = namespace["default"] as Partial<RevisionDefinition> | undefined;
  if (typeof definition !== "object" || definition === null || typeof definition.upgrade !== "function") {
    throw new InputError("revision file must `export default revision({ ... })` with an upgrade function", { file: shown, line: header.line });
  }
  if (definition.id !== header.id) {
    throw new InputError(`revision exports id ${JSON.stringify(definition.id)} but its header says ${header.id}`, { file: shown, line: header.line });
  }
  recordLoadVerdict(path, text, definition as RevisionDefinition, known?.checksum);
  return definition as RevisionDefinition;
}

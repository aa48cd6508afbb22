import type { Dialect } from "../dialects/types.js";
import { InputError, UsageError } from "../errors.js";
import type { Direction } from "../graph/types.js";
import type { MigrationFunction, RevisionDefinition } from "../scripts/revision.js";
import type { LoadedRevision, SqlSectionSource } from "./types.js";

function sqlSection(dialect: Dialect, source: SqlSectionSource, path: string): MigrationFunction {
  return async (op) => {
    const statements = await dialect.splitStatements(source.text, path);
    for (const statement of statements) {
      await op.run({ kind: "execute", sql: statement.sql, ...(statement.nonTransactional ? { nonTransactional: true } : {}) });
    }
  };
}

/** The definition of a revision, built from its SQL sections or loaded from its module. */
export async function loadDefinition(revision: LoadedRevision, dialect: Dialect): Promise<RevisionDefinition> {
  const sql = revision.sql;
  if (!sql) return revision.load();
  return {
    id: revision.header.id,
    parents: revision.header.parents,
    message: revision.header.message,
    transactional: sql.transactional,
    upgrade: sqlSection(dialect, sql.up, revision.path),
    ...(sql.down ? { downgrade: sqlSection(dialect, sql.down, revision.path) } : {}),
  };
}

export function findRevision(revisions: Map<string, LoadedRevision>, id: string): LoadedRevision {
  const revision = revisions.get(id);
  if (!revision) throw new UsageError(`Revision ${id} is in the plan but was not among the loaded revision files.`);
  return revision;
}

export function migrationFunction(definition: RevisionDefinition, revision: LoadedRevision, direction: Direction): MigrationFunction {
  if (direction === "up") return definition.upgrade;
  if (!definition.downgrade)
    throw new InputError(`revision ${revision.header.id} has no downgrade, so it cannot be reverted`, {
      file: revision.path,
      ...(revision.header.line === undefined ? {} : { line: revision.header.line }),
    });
  return definition.downgrade;
}

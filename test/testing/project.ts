/** A throw-away project for the testing kit: a config, a versions folder, and revisions written as text. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/databases.js";

export interface KitProject {
  dir: string;
  versions: string;
  /** Writes a TypeScript revision whose upgrade and downgrade run the given statements. */
  revision(spec: RevisionSpec): string;
  remove(): void;
}

export interface RevisionSpec {
  id: string;
  parents?: string[];
  message?: string;
  up: string[];
  down?: string[];
}

export function kitProject(config: { url?: string; declaredSchema?: string } = {}): KitProject {
  const temp = tempDir("stratum-kit-");
  const versions = join(temp.path, "migrations");
  mkdirSync(versions);
  const fields = [`versionPaths: ["migrations"]`];
  if (config.url !== undefined) fields.push(`url: ${JSON.stringify(config.url)}`);
  if (config.declaredSchema !== undefined) fields.push(`declaredSchema: ${JSON.stringify(config.declaredSchema)}`);
  writeFileSync(join(temp.path, "stratum.config.mjs"), `export default { ${fields.join(", ")} };\n`);
  return {
    dir: temp.path,
    versions,
    revision(spec) {
      const path = join(versions, `${spec.id}_${(spec.message ?? "step").replace(/\W+/g, "_")}.ts`);
      writeFileSync(path, revisionText(spec));
      return path;
    },
    remove: temp.remove,
  };
}

export function revisionText(spec: RevisionSpec): string {
  const calls = (statements: string[]) => statements.map((sql) => `    await op.execute(${JSON.stringify(sql)});`).join("\n");
  return `import { revision } from "stratum";

export default revision({
  id: ${JSON.stringify(spec.id)},
  parents: ${JSON.stringify(spec.parents ?? [])},
  message: ${JSON.stringify(spec.message ?? "")},
  branchLabels: [],
  dependsOn: [],

  async upgrade(op) {
${calls(spec.up)}
  },
${spec.down === undefined ? "" : `
  async downgrade(op) {
${calls(spec.down)}
  },
`}});
`;
}

/** Four revisions building a small shop: users, products, orders, an index. */
export function writeShop(project: KitProject): void {
  project.revision({ id: "a00000000001", message: "users", up: ["CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL)"], down: ["DROP TABLE users"] });
  project.revision({ id: "a00000000002", parents: ["a00000000001"], message: "products", up: ["CREATE TABLE products (id serial PRIMARY KEY, name text NOT NULL, price_cents int NOT NULL)"], down: ["DROP TABLE products"] });
  project.revision({
    id: "a00000000003",
    parents: ["a00000000002"],
    message: "orders",
    up: ["CREATE TABLE orders (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), product_id int NOT NULL REFERENCES products (id), quantity int NOT NULL DEFAULT 1)"],
    down: ["DROP TABLE orders"],
  });
  project.revision({ id: "a00000000004", parents: ["a00000000003"], message: "orders by user", up: ["CREATE INDEX orders_user_idx ON orders (user_id)"], down: ["DROP INDEX orders_user_idx"] });
}

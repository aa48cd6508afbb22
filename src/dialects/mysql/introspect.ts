import type { Connection } from "../../drivers/types.js";
import type { SchemaModel } from "../../schema/model.js";
import type { IntrospectOptions } from "../types.js";

export async function introspect(_connection: Connection, _options: IntrospectOptions): Promise<SchemaModel> {
  throw new Error("not implemented yet");
}

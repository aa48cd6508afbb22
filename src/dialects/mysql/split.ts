import type { SplitStatement } from "../types.js";

export async function splitStatements(_text: string, _source?: string): Promise<SplitStatement[]> {
  throw new Error("not implemented yet");
}

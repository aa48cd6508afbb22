import type { MigrationLock, StateSql, Timeouts } from "../types.js";

export const state: StateSql = {
  createVersionTable: () => { throw new Error("not implemented yet"); },
  createHistoryTable: () => { throw new Error("not implemented yet"); },
  tableExists: () => { throw new Error("not implemented yet"); },
};
export const lock: MigrationLock = {
  acquire: async () => { throw new Error("not implemented yet"); },
  release: async () => { throw new Error("not implemented yet"); },
};
export function timeoutStatements(_timeouts: Timeouts): string[] {
  return [];
}
export function isLockTimeout(_error: unknown): boolean {
  return false;
}

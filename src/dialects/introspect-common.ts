/** What the dialects' introspection shares when reading their catalogs. */
import type { ReferentialAction } from "../ops/types.js";

const ACTIONS: Record<string, ReferentialAction> = {
  "NO ACTION": "NO ACTION",
  RESTRICT: "RESTRICT",
  CASCADE: "CASCADE",
  "SET NULL": "SET NULL",
  "SET DEFAULT": "SET DEFAULT",
};

/**
 * A foreign key action as a catalog spells it in words (MySQL's information_schema, SQLite's
 * foreign_key_list), in any case; anything unrecognised reads as the default, NO ACTION.
 */
export function referentialAction(rule: string): ReferentialAction {
  return ACTIONS[rule.toUpperCase()] ?? "NO ACTION";
}

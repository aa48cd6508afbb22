/** The revision graph that both the renderer tests and the `graph` command tests draw. */
import type { RevisionHeader } from "../../src/graph/types.js";

export const rev = (id: string, parents: string[] = [], extra: Partial<RevisionHeader> = {}): RevisionHeader => ({
  id,
  parents,
  message: `rev ${id}`,
  branchLabels: [],
  dependsOn: [],
  path: `migrations/${id}.sql`,
  ...extra,
});

/** a1 → b2 → (c3, d4 labelled feature) → e5 merge → f6 → (g7, h8). */
export const diamond = [rev("a1"), rev("b2", ["a1"]), rev("c3", ["b2"]), rev("d4", ["b2"], { branchLabels: ["feature"] }), rev("e5", ["c3", "d4"]), rev("f6", ["e5"]), rev("g7", ["f6"]), rev("h8", ["f6"])];

/** The first lines of the text picture of `diamond` with c3 current. */
export const diamondText = [
  "o    g7  (head) [pending] rev g7",
  "  o  h8  (head) [pending] rev h8",
  "o    f6  (branchpoint) [pending] rev f6",
  "o    e5  (merges c3, d4) [pending] rev e5",
  "*    c3  [current] rev c3",
  "  o  d4  (feature) [pending] rev d4",
  "o    b2  (branchpoint) [applied] rev b2",
  "o    a1  [applied] rev a1",
];

/**
 * The graph in a terminal, newest first, one row per revision: a column per lane (`*` the
 * database's current revision, `o` any other, `|` a line passing through), then the id, its
 * marks (labels, head, branch point, merge, status) and message.
 */
import { layoutGraph, type Layout } from "./layout.js";
import type { GraphPicture, PictureNode } from "./model.js";

export function renderText(picture: GraphPicture): string {
  const layout = layoutGraph(picture);
  const lines: string[] = [];
  if (picture.nodes.length === 0) lines.push("No revisions yet.");
  const rows = [...layout.placed].sort((a, b) => b.layer - a.layer || a.lane - b.lane);
  const idWidth = Math.max(0, ...picture.nodes.map((n) => n.id.length));
  const passing = passingLines(layout);
  for (const row of rows) {
    const cells: string[] = [];
    for (let lane = 0; lane < layout.lanes; lane++) {
      if (lane === row.lane) cells.push(row.node.status === "current" ? "*" : row.node.status === "missing" ? "?" : "o");
      else cells.push(passing.get(row.layer)?.has(lane) ? "|" : " ");
    }
    lines.push(`${cells.join(" ")}  ${row.node.id.padEnd(idWidth)}  ${marks(row.node)}${row.node.message}`.trimEnd());
  }
  lines.push("");
  lines.push(`Heads: ${picture.heads.join(", ") || "none"}`);
  if (picture.current === null) lines.push(`Current: could not read current revision${picture.currentError ? ` (${picture.currentError})` : ""}`);
  else lines.push(`Current: ${picture.current.join(", ") || "<base> (nothing applied)"}`);
  if (picture.errors.length > 0) lines.push("", "The revision graph is invalid:", ...picture.errors.map((e) => `  - ${e}`));
  return `${lines.join("\n")}\n`;
}

function marks(node: PictureNode): string {
  const parts: string[] = [];
  if (node.labels.length > 0) parts.push(`(${node.labels.join(", ")})`);
  if (node.isHead) parts.push("(head)");
  if (node.isBranchPoint) parts.push("(branchpoint)");
  if (node.isMergePoint) parts.push(`(merges ${node.parents.join(", ")})`);
  if (node.dependsOn.length > 0) parts.push(`(depends on ${node.dependsOn.join(", ")})`);
  if (node.status !== "unknown" && node.status !== "missing") parts.push(`[${node.status}]`);
  return parts.length > 0 ? `${parts.join(" ")} ` : "";
}

/**
 * Layer → the lanes a parent edge runs along past that layer. An edge between two lanes is drawn
 * in the outer one: that is the side branch, whose line runs until it forks off or merges back.
 */
function passingLines(layout: Layout): Map<number, Set<number>> {
  const passing = new Map<number, Set<number>>();
  for (const edge of layout.edges) {
    if (edge.kind !== "parent") continue;
    const from = layout.byId.get(edge.from);
    const to = layout.byId.get(edge.to);
    if (!from || !to) continue;
    const lane = Math.max(from.lane, to.lane);
    for (let layer = from.layer + 1; layer < to.layer; layer++) {
      let lanes = passing.get(layer);
      if (!lanes) passing.set(layer, (lanes = new Set()));
      lanes.add(lane);
    }
  }
  return passing;
}

/** The graph in Graphviz DOT: base at the bottom, dependencies dashed, status as fill colour. */
import type { GraphPicture, RevisionStatus } from "./model.js";

const FILL: Record<RevisionStatus, string> = {
  current: "#2e7d32",
  applied: "#c8e6c9",
  pending: "#fff3e0",
  unknown: "#eceff1",
  missing: "#ffebee",
};

export function renderDot(picture: GraphPicture): string {
  const lines = ["digraph stratum {", "  rankdir=BT;", '  node [shape=box, style="rounded,filled", fontname="Helvetica"];'];
  for (const error of picture.errors) lines.push(`  // error: ${error.replace(/[\r\n]+/g, " ")}`);
  for (const node of picture.nodes) {
    const title = [node.id, node.labels.length > 0 ? `(${node.labels.join(", ")})` : "", node.isHead ? "(head)" : ""].filter(Boolean).join(" ");
    const attributes = [`label=${quote(`${title}\n${node.message}\n[${node.status}]`)}`, `fillcolor=${quote(FILL[node.status])}`];
    if (node.status === "current") attributes.push('fontcolor="white"');
    if (node.status === "missing") attributes.push('style="rounded,filled,dashed"');
    lines.push(`  ${quote(node.id)} [${attributes.join(", ")}];`);
  }
  const known = new Set(picture.nodes.map((n) => n.id));
  for (const node of picture.nodes) {
    for (const parent of node.parents) if (known.has(parent)) lines.push(`  ${quote(parent)} -> ${quote(node.id)};`);
    for (const dependency of node.dependsOn) if (known.has(dependency)) lines.push(`  ${quote(dependency)} -> ${quote(node.id)} [style=dashed];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

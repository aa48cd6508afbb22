/** The graph as a Mermaid flowchart: base at the bottom, dependencies dotted, status as classes. */
import type { GraphPicture } from "./model.js";

export function renderMermaid(picture: GraphPicture): string {
  const key = new Map(picture.nodes.map((node, i) => [node.id, `r${i}`]));
  const lines = ["flowchart BT"];
  for (const node of picture.nodes) {
    const extra = [node.labels.length > 0 ? `(${node.labels.join(", ")})` : "", node.isHead ? "(head)" : ""].filter(Boolean).join(" ");
    const text = [node.id + (extra ? ` ${extra}` : ""), node.message].map(escapeMermaid).join("<br/>");
    lines.push(`  ${key.get(node.id)}["${text}"]:::${node.status}`);
  }
  for (const node of picture.nodes) {
    for (const parent of node.parents) if (key.has(parent)) lines.push(`  ${key.get(parent)} --> ${key.get(node.id)}`);
    for (const dependency of node.dependsOn) if (key.has(dependency)) lines.push(`  ${key.get(dependency)} -.-> ${key.get(node.id)}`);
  }
  lines.push(
    "  classDef current fill:#2e7d32,color:#fff,stroke:#1b5e20",
    "  classDef applied fill:#c8e6c9,stroke:#2e7d32",
    "  classDef pending fill:#fff3e0,stroke:#ef6c00",
    "  classDef unknown fill:#eceff1,stroke:#607d8b",
    "  classDef missing fill:#ffebee,stroke:#c62828,stroke-dasharray:4 3",
  );
  for (const error of picture.errors) lines.push(`  %% error: ${error.replace(/[\r\n]+/g, " ")}`);
  return `${lines.join("\n")}\n`;
}

/** Mermaid labels in double quotes take HTML entities; quotes and angle brackets must be escaped. */
function escapeMermaid(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\r\n]+/g, " ");
}

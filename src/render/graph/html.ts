/**
 * The graph as one self-contained HTML page: inline CSS, an inline SVG drawn from the layered
 * layout, and a small inline script that shows a revision's details when it is clicked (or when
 * the page is opened with `?select=ID`). Nothing is fetched from the network.
 */
import { layoutGraph, type Layout, type PlacedNode } from "./layout.js";
import type { GraphPicture } from "./model.js";

const NODE_WIDTH = 230;
const NODE_HEIGHT = 58;
const COLUMN = NODE_WIDTH + 40;
const ROW = NODE_HEIGHT + 42;
const MARGIN = 20;
const MESSAGE_CHARS = 32;

export function renderHtml(picture: GraphPicture, options: { title?: string } = {}): string {
  const layout = layoutGraph(picture);
  const title = options.title ?? "Stratum revision graph";
  const width = Math.max(1, layout.lanes) * COLUMN + MARGIN * 2 - 40;
  const height = Math.max(1, layout.layers) * ROW + MARGIN * 2 - 42;
  const position = (placed: PlacedNode) => ({
    x: MARGIN + placed.lane * COLUMN,
    // Newest at the top, as `history` lists them.
    y: MARGIN + (layout.layers - 1 - placed.layer) * ROW,
  });
  const svg = [
    `<svg id="graph" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">`,
    ...edgePaths(layout, position),
    ...layout.placed.map((placed) => nodeGroup(placed, position(placed))),
    "</svg>",
  ].join("\n");
  const summary = [
    `${picture.nodes.filter((n) => n.status !== "missing").length} revisions`,
    `heads: ${picture.heads.join(", ") || "none"}`,
    picture.current === null ? `current: could not read${picture.currentError ? ` (${picture.currentError})` : ""}` : `current: ${picture.current.join(", ") || "<base>"}`,
  ].join(" · ");
  const errors =
    picture.errors.length === 0
      ? ""
      : `<section id="errors"><h2>The revision graph is invalid</h2><ul>${picture.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join("")}</ul></section>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p id="summary">${escapeHtml(summary)}</p>
<p class="legend"><span class="key current">current</span><span class="key applied">applied</span><span class="key pending">pending</span><span class="key unknown">unknown</span><span class="key missing">missing</span></p></header>
${errors}
<main>
<div id="canvas">
${svg}
</div>
<aside id="details" aria-live="polite"><p class="hint">Click a revision to see its details.</p></aside>
</main>
<script type="application/json" id="graph-data">${jsonForScript(picture)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function nodeGroup(placed: PlacedNode, at: { x: number; y: number }): string {
  const { node } = placed;
  const tags = [...node.labels.map((l) => `(${l})`), node.isHead ? "(head)" : ""].filter(Boolean).join(" ");
  const message = node.message.length > MESSAGE_CHARS ? `${node.message.slice(0, MESSAGE_CHARS - 1)}…` : node.message;
  return [
    `<g id="node-${escapeHtml(node.id)}" class="node ${node.status}" data-id="${escapeHtml(node.id)}" tabindex="0" transform="translate(${at.x},${at.y})">`,
    `<title>${escapeHtml(`${node.id}: ${node.message}`)}</title>`,
    `<rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="8"></rect>`,
    `<text class="id" x="10" y="18">${escapeHtml(node.id)}${tags ? ` <tspan class="tags">${escapeHtml(tags)}</tspan>` : ""}</text>`,
    `<text class="message" x="10" y="35">${escapeHtml(message)}</text>`,
    `<text class="status" x="10" y="50">${node.status}</text>`,
    "</g>",
  ].join("");
}

function edgePaths(layout: Layout, position: (placed: PlacedNode) => { x: number; y: number }): string[] {
  return layout.edges.flatMap((edge) => {
    const from = layout.byId.get(edge.from);
    const to = layout.byId.get(edge.to);
    if (!from || !to) return [];
    const a = position(from);
    const b = position(to);
    // From the top of the older revision to the bottom of the newer one.
    const x1 = a.x + NODE_WIDTH / 2;
    const y1 = a.y;
    const x2 = b.x + NODE_WIDTH / 2;
    const y2 = b.y + NODE_HEIGHT;
    const bend = (y1 - y2) / 2;
    return [`<path class="edge ${edge.kind}" data-from="${escapeHtml(edge.from)}" data-to="${escapeHtml(edge.to)}" d="M${x1},${y1} C${x1},${y1 - bend} ${x2},${y2 + bend} ${x2},${y2}"></path>`];
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** JSON that cannot end the script element early, whatever the messages hold. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2933;background:#f7f9fb}
header{padding:12px 20px;border-bottom:1px solid #d9e2ec;background:#fff}
h1{font-size:18px;margin:0 0 4px}
#summary{margin:0;color:#52606d}
.legend{margin:6px 0 0}.key{display:inline-block;padding:1px 8px;margin-right:6px;border-radius:4px;border:1px solid #9aa5b1;font-size:12px}
#errors{margin:12px 20px;padding:8px 16px;border:1px solid #c62828;background:#ffebee;border-radius:6px}
#errors h2{font-size:15px;margin:4px 0;color:#b71c1c}
main{display:flex;gap:16px;padding:16px 20px;align-items:flex-start}
#canvas{overflow:auto;flex:1;background:#fff;border:1px solid #d9e2ec;border-radius:6px}
#details{width:320px;background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:12px;position:sticky;top:12px}
#details h2{font-size:15px;margin:0 0 8px;word-break:break-all}
#details dt{font-weight:600;color:#52606d;margin-top:6px}#details dd{margin:0;word-break:break-all}
.hint{color:#7b8794;margin:0}
.node{cursor:pointer}.node rect{stroke-width:1.5}
.node text{font-size:12px;fill:#1f2933}.node .id{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.node .tags{font-weight:400;fill:#3e4c59}.node .status{font-size:11px;fill:#52606d}
.node.current rect,.key.current{fill:#2e7d32;background:#2e7d32;color:#fff;stroke:#1b5e20}
.node.current text,.node.current .tags,.node.current .status{fill:#fff}
.node.applied rect,.key.applied{fill:#c8e6c9;background:#c8e6c9;stroke:#2e7d32}
.node.pending rect,.key.pending{fill:#fff3e0;background:#fff3e0;stroke:#ef6c00}
.node.unknown rect,.key.unknown{fill:#eceff1;background:#eceff1;stroke:#607d8b}
.node.missing rect,.key.missing{fill:#ffebee;background:#ffebee;stroke:#c62828;stroke-dasharray:5 3}
.edge{fill:none;stroke:#7b8794;stroke-width:1.5}.edge.dependency{stroke-dasharray:4 4}
.node.selected rect{stroke:#1565c0;stroke-width:3}
`;

/** Builds the details panel with textContent only, so no message can inject markup. */
const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var panel = document.getElementById("details");
  function add(parent, tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  }
  function show(id) {
    var node = byId[id];
    if (!node) return;
    document.querySelectorAll("g.node.selected").forEach(function (g) { g.classList.remove("selected"); });
    var group = document.getElementById("node-" + id);
    if (group) group.classList.add("selected");
    panel.textContent = "";
    panel.setAttribute("data-selected", id);
    add(panel, "h2", node.id);
    add(panel, "p", node.message, "message");
    var list = add(panel, "dl");
    var rows = [
      ["Status", node.status],
      ["File", node.path || "(none)"],
      ["Parents", node.parents.length ? node.parents.join(", ") : "<base>"],
      ["Depends on", node.dependsOn.length ? node.dependsOn.join(", ") : "(none)"],
      ["Branch labels", node.labels.length ? node.labels.join(", ") : "(none)"],
      ["Created", node.createDate || "(unknown)"],
    ];
    rows.forEach(function (row) {
      add(list, "dt", row[0]);
      add(list, "dd", row[1], "field-" + row[0].toLowerCase().replace(/ /g, "-"));
    });
  }
  document.querySelectorAll("g.node").forEach(function (g) {
    var id = g.getAttribute("data-id");
    g.addEventListener("click", function () { show(id); });
    g.addEventListener("keydown", function (event) { if (event.key === "Enter" || event.key === " ") show(id); });
  });
  var wanted = new URLSearchParams(location.search).get("select");
  if (wanted) {
    var target = document.getElementById("node-" + wanted);
    if (target) target.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  }
})();
`;

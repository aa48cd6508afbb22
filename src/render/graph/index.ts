/** Pictures of the revision graph: pure functions from a GraphPicture to text. */
import { renderDot } from "./dot.js";
import { renderHtml } from "./html.js";
import { renderMermaid } from "./mermaid.js";
import type { GraphPicture } from "./model.js";
import { renderText } from "./text.js";

export type { GraphPicture, PictureNode, RevisionStatus } from "./model.js";
export { buildPicture, type PictureInput } from "./build.js";
export { layoutGraph, type Layout, type PlacedNode, type Edge } from "./layout.js";
export { renderText, renderHtml, renderMermaid, renderDot };

export const GRAPH_FORMATS = ["text", "html", "mermaid", "dot"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function renderGraph(picture: GraphPicture, format: GraphFormat): string {
  switch (format) {
    case "text":
      return renderText(picture);
    case "html":
      return renderHtml(picture);
    case "mermaid":
      return renderMermaid(picture);
    case "dot":
      return renderDot(picture);
  }
}

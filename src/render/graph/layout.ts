/**
 * A layered layout of the revision DAG: each revision sits one layer above its highest parent
 * (or dependency), and keeps the lane of its first parent while that parent's line is free, so
 * a straight history is one column and each branch gets a column of its own.
 */
import type { GraphPicture, PictureNode } from "./model.js";

export interface PlacedNode {
  node: PictureNode;
  layer: number;
  lane: number;
}

export interface Edge {
  from: string;
  to: string;
  kind: "parent" | "dependency";
}

export interface Layout {
  /** Oldest layer first; within a layer, by lane. */
  placed: PlacedNode[];
  byId: Map<string, PlacedNode>;
  edges: Edge[];
  layers: number;
  lanes: number;
  /** Revisions on a cycle: placed after everything else. */
  cyclic: string[];
}

export function layoutGraph(picture: GraphPicture): Layout {
  const nodes = new Map(picture.nodes.map((node) => [node.id, node]));
  const below = (node: PictureNode) => [...node.parents, ...node.dependsOn].filter((id) => nodes.has(id));
  const edges: Edge[] = picture.nodes.flatMap((node) => [
    ...node.parents.filter((p) => nodes.has(p)).map((p): Edge => ({ from: p, to: node.id, kind: "parent" })),
    ...node.dependsOn.filter((d) => nodes.has(d)).map((d): Edge => ({ from: d, to: node.id, kind: "dependency" })),
  ]);

  // Kahn's algorithm gives layers; whatever is left over sits on a cycle.
  const layerOf = new Map<string, number>();
  const waiting = new Map(picture.nodes.map((node) => [node.id, below(node).length]));
  const above = new Map<string, string[]>();
  for (const edge of edges) above.set(edge.from, [...(above.get(edge.from) ?? []), edge.to]);
  let ready = picture.nodes.filter((node) => waiting.get(node.id) === 0).map((node) => node.id);
  for (const id of ready) layerOf.set(id, 0);
  while (ready.length > 0) {
    const next: string[] = [];
    for (const id of ready) {
      for (const child of above.get(id) ?? []) {
        layerOf.set(child, Math.max(layerOf.get(child) ?? 0, layerOf.get(id)! + 1));
        const left = waiting.get(child)! - 1;
        waiting.set(child, left);
        if (left === 0) next.push(child);
      }
    }
    ready = next;
  }
  const cyclic = picture.nodes.filter((node) => (waiting.get(node.id) ?? 0) > 0).map((node) => node.id).sort();
  for (const id of cyclic) layerOf.delete(id);
  let top = Math.max(-1, ...layerOf.values());
  for (const id of cyclic) layerOf.set(id, ++top);

  const layers: string[][] = Array.from({ length: top + 1 }, () => []);
  for (const [id, layer] of layerOf) layers[layer]!.push(id);
  const laneOf = assignLanes(layers, nodes);
  const placed = [...layerOf.entries()]
    .map(([id, layer]) => ({ node: nodes.get(id)!, layer, lane: laneOf.get(id)! }))
    .sort((a, b) => a.layer - b.layer || a.lane - b.lane);
  return {
    placed,
    byId: new Map(placed.map((p) => [p.node.id, p])),
    edges,
    layers: layers.length,
    lanes: Math.max(0, ...placed.map((p) => p.lane + 1)),
    cyclic,
  };
}

/**
 * A lane stays open while its revision has children still to place; the first child to be placed
 * inherits it, and the others open new lanes: those are the branches.
 */
function assignLanes(layers: string[][], nodes: Map<string, PictureNode>): Map<string, number> {
  const laneOf = new Map<string, number>();
  const childrenLeft = new Map<string, number>();
  for (const node of nodes.values()) for (const parent of node.parents) childrenLeft.set(parent, (childrenLeft.get(parent) ?? 0) + 1);
  /** Lane → the revision whose line occupies it. */
  const open = new Map<number, string>();
  const inherited = new Set<string>();
  for (const ids of layers) {
    const parentLane = (id: string) => Math.min(...nodes.get(id)!.parents.map((p) => laneOf.get(p) ?? Infinity));
    const ordered = [...ids].sort((a, b) => parentLane(a) - parentLane(b) || (a < b ? -1 : a > b ? 1 : 0));
    const usedHere = new Set<number>();
    for (const id of ordered) {
      let lane: number | undefined;
      for (const parent of [...nodes.get(id)!.parents].sort((a, b) => (laneOf.get(a) ?? 0) - (laneOf.get(b) ?? 0))) {
        const candidate = laneOf.get(parent);
        if (candidate !== undefined && open.get(candidate) === parent && !inherited.has(parent) && !usedHere.has(candidate)) {
          lane = candidate;
          inherited.add(parent);
          break;
        }
      }
      if (lane === undefined) {
        lane = 0;
        while (open.has(lane) || usedHere.has(lane)) lane++;
      }
      usedHere.add(lane);
      laneOf.set(id, lane);
    }
    // Close the lines of parents whose children are all placed, then open this layer's lines.
    for (const id of ordered) {
      for (const parent of nodes.get(id)!.parents) {
        const left = (childrenLeft.get(parent) ?? 1) - 1;
        childrenLeft.set(parent, left);
        const lane = laneOf.get(parent);
        if (left === 0 && lane !== undefined && open.get(lane) === parent) open.delete(lane);
      }
    }
    for (const id of ordered) if ((childrenLeft.get(id) ?? 0) > 0) open.set(laneOf.get(id)!, id);
  }
  return laneOf;
}

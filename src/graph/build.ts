import { GraphError } from "../errors.js";
import type { GraphCore } from "./core.js";
import { describeRevision, listIds } from "./errors.js";
import { invalidIdReason, invalidLabelReason } from "./names.js";
import { topologicalOrder } from "./topo.js";
import type { RevisionHeader } from "./types.js";

/** Validates headers and indexes them in topological order; every problem is a GraphError. */
export function buildCore(input: readonly RevisionHeader[]): GraphCore {
  const byId = indexIds(input);
  const labelOwner = indexLabels(input, byId);
  const parentIds = withSquashedStandIns(input, byId);
  const parents = input.map((header) => resolveParents(header, parentIds));
  const deps = input.map((header) => resolveDependencies(header, byId, labelOwner));
  const below = input.map((_, i) => concat(parents[i]!, deps[i]!));

  const less = (a: number, b: number): boolean => compareHeaders(input[a]!, input[b]!) < 0;
  const sorted = topologicalOrder(below, less);
  if (!sorted.ok) throw cycleError(sorted.cycle.map((i) => input[i]!));

  const position = new Int32Array(input.length);
  sorted.order.forEach((original, pos) => (position[original] = pos));
  const normalizedDeps = deps.map((list, i) => dropRedundantDependencies(parents[i]!, list, below, position));
  return reindex(input, sorted.order, position, parents, normalizedDeps, labelOwner);
}

function compareHeaders(a: RevisionHeader, b: RevisionHeader): number {
  const pa = a.path ?? "";
  const pb = b.path ?? "";
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function indexIds(input: readonly RevisionHeader[]): Map<string, number> {
  const byId = new Map<string, number>();
  input.forEach((header, i) => {
    const reason = invalidIdReason(header.id);
    if (reason) {
      const where = header.path ? ` in ${header.path}` : "";
      throw new GraphError(`Revision id '${header.id}'${where} is not valid: ${reason}.`);
    }
    const first = byId.get(header.id);
    if (first !== undefined) {
      const a = input[first]!;
      const places = a.path && header.path ? ` (in ${a.path} and ${header.path})` : "";
      throw new GraphError(`Revision id '${header.id}' is declared twice${places}.`);
    }
    byId.set(header.id, i);
  });
  return byId;
}

function indexLabels(input: readonly RevisionHeader[], byId: ReadonlyMap<string, number>): Map<string, number> {
  const owner = new Map<string, number>();
  input.forEach((header, i) => {
    for (const label of header.branchLabels) {
      const reason = invalidLabelReason(label);
      if (reason) throw new GraphError(`Branch label '${label}' on revision ${describeRevision(header)} is not valid: ${reason}.`);
      if (byId.has(label)) {
        throw new GraphError(`Branch label '${label}' on revision ${describeRevision(header)} is also a revision id; labels and ids share one namespace.`);
      }
      const first = owner.get(label);
      if (first !== undefined && first !== i) {
        throw new GraphError(
          `Branch label '${label}' is declared by both ${describeRevision(input[first]!)} and ${describeRevision(header)}.`,
        );
      }
      owner.set(label, i);
    }
  });
  return owner;
}

/**
 * Where `squash` folded a range into one revision, the revisions built on the range's last id
 * keep naming it (so that their files, and the checksums databases recorded for them, stay the
 * same): as a parent, that id stands for the squashed revision while its file is gone.
 */
function withSquashedStandIns(input: readonly RevisionHeader[], byId: ReadonlyMap<string, number>): ReadonlyMap<string, number> {
  let merged: Map<string, number> | undefined;
  input.forEach((header, i) => {
    const last = header.replaces?.[header.replaces.length - 1];
    if (last === undefined || byId.has(last)) return;
    merged ??= new Map(byId);
    merged.set(last, i);
  });
  return merged ?? byId;
}

/** Shared by every revision without dependencies (or children): most of them, in a big folder. */
const NONE: readonly number[] = Object.freeze([]);

/** `a` followed by `b`, without allocating when `b` is empty (the usual case). */
function concat(a: readonly number[], b: readonly number[]): readonly number[] {
  return b.length === 0 ? a : [...a, ...b];
}

function resolveParents(header: RevisionHeader, byId: ReadonlyMap<string, number>): number[] {
  return header.parents.map((parent, position) => {
    if (header.parents.indexOf(parent) !== position) {
      throw new GraphError(`Revision ${describeRevision(header)} lists parent '${parent}' twice.`);
    }
    const index = byId.get(parent);
    if (index === undefined) {
      throw new GraphError(`Revision ${describeRevision(header)} names parent '${parent}', which is not a known revision.`);
    }
    return index;
  });
}

/** A dependency may name an id, a label (meaning the revision that declares it) or a unique id prefix. */
function resolveDependencies(
  header: RevisionHeader,
  byId: ReadonlyMap<string, number>,
  labelOwner: ReadonlyMap<string, number>,
): readonly number[] {
  if (header.dependsOn.length === 0) return NONE;
  const resolved: number[] = [];
  for (const name of header.dependsOn) {
    const exact = byId.get(name) ?? labelOwner.get(name);
    if (exact !== undefined) {
      if (!resolved.includes(exact)) resolved.push(exact);
      continue;
    }
    const matches = name.length === 0 ? [] : [...byId.keys()].filter((id) => id.startsWith(name));
    if (matches.length === 0) {
      throw new GraphError(`Revision ${describeRevision(header)} depends on '${name}', which is not a known revision or label.`);
    }
    if (matches.length > 1) {
      throw new GraphError(
        `Revision ${describeRevision(header)} depends on '${name}', which matches several revisions: ${listIds(matches.sort())}.`,
      );
    }
    const index = byId.get(matches[0]!)!;
    if (!resolved.includes(index)) resolved.push(index);
  }
  return resolved;
}

/** A dependency that is already below another parent or dependency adds nothing but an extra row to fix up. */
function dropRedundantDependencies(
  parents: readonly number[],
  deps: readonly number[],
  below: readonly (readonly number[])[],
  position: Int32Array,
): readonly number[] {
  if (deps.length === 0) return NONE;
  return deps.filter((dep) => {
    if (parents.includes(dep)) return false;
    const others = [...parents, ...deps.filter((d) => d !== dep)];
    return !reaches(others, dep, below, position);
  });
}

/** Whether `goal` is at or below one of `starts`. Nodes sorted before the goal cannot lead to it, so the search skips them. */
function reaches(starts: readonly number[], goal: number, below: readonly (readonly number[])[], position: Int32Array): boolean {
  const floor = position[goal]!;
  const seen = new Set<number>(starts);
  const stack = [...starts];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === goal) return true;
    for (const next of below[node]!) {
      if (!seen.has(next) && position[next]! >= floor) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

function cycleError(cycle: readonly RevisionHeader[]): GraphError {
  const chain = [...cycle, cycle[0]!].map((header, i) => (i < cycle.length ? describeRevision(header) : `'${header.id}'`));
  return new GraphError(
    `Revisions ${chain.join(" -> ")} form a cycle: each one names the next as a parent or dependency.`,
  );
}

function reindex(
  input: readonly RevisionHeader[],
  order: readonly number[],
  position: Int32Array,
  parents: readonly (readonly number[])[],
  deps: readonly (readonly number[])[],
  labelOwnerByInput: ReadonlyMap<string, number>,
): GraphCore {
  const remap = (list: readonly number[]): readonly number[] => (list.length === 0 ? NONE : list.map((i) => position[i]!));

  const headers: RevisionHeader[] = [];
  const indexOf = new Map<string, number>();
  const newParents: (readonly number[])[] = [];
  const newDeps: (readonly number[])[] = [];
  const children: (readonly number[])[] = new Array<readonly number[]>(order.length).fill(NONE);
  const dependents: (readonly number[])[] = new Array<readonly number[]>(order.length).fill(NONE);
  const append = (lists: (readonly number[])[], at: number, value: number): void => {
    const list = lists[at]!;
    if (list === NONE) lists[at] = [value];
    else (list as number[]).push(value);
  };
  order.forEach((original, pos) => {
    const source = input[original]!;
    const p = remap(parents[original]!);
    const d = remap(deps[original]!);
    newParents.push(p);
    newDeps.push(d);
    indexOf.set(source.id, pos);
    for (const parent of p) append(children, parent, pos);
    for (const dep of d) append(dependents, dep, pos);
    const dependsOn = d.map((i) => input[order[i]!]!.id);
    const unchanged = dependsOn.length === source.dependsOn.length && dependsOn.every((id, i) => id === source.dependsOn[i]);
    // A parent named by a squashed-away id is shown as the revision that replaced it.
    const parentIds = p.map((i) => input[order[i]!]!.id);
    const parentsSame = parentIds.every((id, i) => id === source.parents[i]);
    const header = unchanged ? source : { ...source, dependsOn };
    headers.push(parentsSame ? header : { ...header, parents: parentIds });
  });
  const labelOwner = new Map<string, number>();
  for (const [label, original] of labelOwnerByInput) labelOwner.set(label, position[original]!);
  return {
    headers,
    indexOf,
    parents: newParents,
    deps: newDeps,
    children,
    dependents,
    below: newParents.map((p, i) => concat(p, newDeps[i]!)),
    above: children.map((c, i) => concat(c, dependents[i]!)),
    labelOwner,
  };
}

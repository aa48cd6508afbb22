/** Marks every node reachable from `starts` along `edges`, the starts included. Iterative: deep chains cannot overflow. */
export function reachable(starts: Iterable<number>, edges: readonly (readonly number[])[]): Uint8Array {
  const marked = new Uint8Array(edges.length);
  const stack: number[] = [];
  for (const start of starts) {
    if (!marked[start]) {
      marked[start] = 1;
      stack.push(start);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const next of edges[node]!) {
      if (!marked[next]) {
        marked[next] = 1;
        stack.push(next);
      }
    }
  }
  return marked;
}

/** Indices set in `marks`, ascending (that is, in topological order). */
export function markedIndices(marks: Uint8Array): number[] {
  const result: number[] = [];
  for (let i = 0; i < marks.length; i++) if (marks[i]) result.push(i);
  return result;
}

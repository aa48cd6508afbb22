/**
 * Dependency order without recursion, so that a chain of thousands of foreign keys or views
 * cannot exhaust the stack.
 */

export interface OrderResult {
  order: string[];
  /** Dependencies that had to be ignored to break a cycle: [node, the dependency it came before]. */
  broken: [string, string][];
}

/**
 * Orders `keys` so that each comes after the keys it depends on (Kahn's algorithm). Ties keep the
 * input order. When only cycles remain, the earliest remaining key goes first and its unmet
 * dependencies are reported in `broken`. Dependencies outside `keys`, and on itself, are ignored.
 */
export function dependencyOrder(keys: readonly string[], dependsOn: (key: string) => Iterable<string>): OrderResult {
  const known = new Set(keys);
  const remainingDeps = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  for (const key of keys) {
    const deps = new Set<string>();
    for (const dep of dependsOn(key)) {
      if (dep === key || !known.has(dep)) continue;
      deps.add(dep);
      const list = dependents.get(dep);
      if (list) list.push(key);
      else dependents.set(dep, [key]);
    }
    remainingDeps.set(key, deps);
  }

  const order: string[] = [];
  const broken: [string, string][] = [];
  const emitted = new Set<string>();
  const ready: string[] = keys.filter((key) => remainingDeps.get(key)!.size === 0);
  let readyIndex = 0;
  let scan = 0;

  const emit = (key: string) => {
    emitted.add(key);
    order.push(key);
    for (const dependent of dependents.get(key) ?? []) {
      const deps = remainingDeps.get(dependent)!;
      deps.delete(key);
      if (deps.size === 0 && !emitted.has(dependent)) ready.push(dependent);
    }
  };

  while (order.length < keys.length) {
    if (readyIndex < ready.length) {
      const key = ready[readyIndex++]!;
      if (!emitted.has(key)) emit(key);
      continue;
    }
    while (emitted.has(keys[scan]!)) scan++;
    const key = keys[scan]!;
    for (const dep of remainingDeps.get(key)!) broken.push([key, dep]);
    remainingDeps.get(key)!.clear();
    emit(key);
  }
  return { order, broken };
}

/** Names a view or function body mentions: bare words, `schema.name`, and quoted identifiers. */
export function mentionedNames(text: string): Set<string> {
  const names = new Set<string>();
  const pattern = /"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)/g;
  let previous: string | undefined;
  let previousEnd = -1;
  for (const match of text.matchAll(pattern)) {
    const name = match[1] !== undefined ? match[1].replaceAll('""', '"') : match[2]!.toLowerCase();
    names.add(name);
    if (previous !== undefined && text.slice(previousEnd, match.index) === ".") names.add(`${previous}.${name}`);
    previous = name;
    previousEnd = match.index + match[0].length;
  }
  return names;
}

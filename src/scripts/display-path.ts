import { isAbsolute, relative, sep } from "node:path";

/** A path as shown in messages: relative to the working directory when it lies inside it. */
export function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const cwd = process.cwd();
  // The common case without path.relative, which is slow enough to matter over 10,000 files.
  if (path.startsWith(cwd) && path[cwd.length] === sep) {
    const rel = path.slice(cwd.length + 1);
    return sep === "/" ? rel : rel.split(sep).join("/");
  }
  // Outside the working directory the answer is the path itself, found without path.relative.
  if (!path.startsWith(cwd)) return path;
  const rel = relative(cwd, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return path;
  return sep === "/" ? rel : rel.split(sep).join("/");
}

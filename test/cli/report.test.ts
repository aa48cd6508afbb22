import { describe, expect, it } from "vitest";
import { DatabaseError, InputError } from "../../src/errors.js";
import type { CliIO } from "../../src/cli/io.js";
import { redactingIO } from "../../src/cli/io.js";
import { INTERNAL_ERROR_EXIT, reportError } from "../../src/cli/report.js";

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env: {}, cwd: "/" },
    out: () => out,
    err: () => err,
  };
}

describe("reportError", () => {
  it("prints a StratumError as one line plus its hint, with its exit code", () => {
    const c = capture();
    const code = reportError(new InputError("bad header", { file: "v/a.sql", line: 3 }, { hint: "fix it" }), c.io, false, false);
    expect(code).toBe(2);
    expect(c.err()).toBe("error: v/a.sql:3: bad header\nhint: fix it\n");
    expect(c.out()).toBe("");
  });

  it("adds a JSON error document on stdout with --json", () => {
    const c = capture();
    const code = reportError(new DatabaseError("down"), c.io, false, true);
    expect(code).toBe(3);
    expect(JSON.parse(c.out())).toEqual({ error: { type: "DatabaseError", message: "down", exitCode: 3 } });
  });

  it("reports anything else as an internal error without a stack trace", () => {
    const c = capture();
    const code = reportError(new TypeError("x is undefined"), c.io, false, false);
    expect(code).toBe(INTERNAL_ERROR_EXIT);
    expect(c.err()).toContain("internal error: x is undefined");
    expect(c.err()).not.toMatch(/^\s+at /m);
  });

  it("shows the stack and causes with --debug", () => {
    const c = capture();
    reportError(new DatabaseError("failed", { cause: new Error("socket closed") }), c.io, true, false);
    expect(c.err()).toMatch(/^\s+at /m);
    expect(c.err()).toContain("caused by:");
    expect(c.err()).toContain("socket closed");
  });
});

describe("redactingIO", () => {
  it("strips passwords from everything written", () => {
    const c = capture();
    const io = redactingIO(c.io);
    io.stdout("url postgres://u:hunter2@db/x\n");
    io.stderr("mysql://root:pw@127.0.0.1/db failed\n");
    expect(c.out() + c.err()).not.toMatch(/hunter2|:pw@/);
  });

  it("redacts upper-case schemes and leaves text without a URL as it was", () => {
    const c = capture();
    const io = redactingIO(c.io);
    io.stdout("see POSTGRES://admin:s3cret@db:5432/app\n");
    io.stdout("INSERT INTO t VALUES ('user:pass@host');\n");
    expect(c.out()).toBe("see POSTGRES://admin:***@db:5432/app\nINSERT INTO t VALUES ('user:pass@host');\n");
  });
});

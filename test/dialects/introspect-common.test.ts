import { describe, expect, it } from "vitest";
import { referentialAction } from "../../src/dialects/introspect-common.js";

describe("referentialAction", () => {
  it("reads the actions catalogs spell in words, in any case", () => {
    expect(referentialAction("CASCADE")).toBe("CASCADE");
    expect(referentialAction("set null")).toBe("SET NULL");
    expect(referentialAction("Set Default")).toBe("SET DEFAULT");
    expect(referentialAction("RESTRICT")).toBe("RESTRICT");
  });

  it("reads anything else as NO ACTION", () => {
    expect(referentialAction("NO ACTION")).toBe("NO ACTION");
    expect(referentialAction("NONE")).toBe("NO ACTION");
    expect(referentialAction("")).toBe("NO ACTION");
  });
});

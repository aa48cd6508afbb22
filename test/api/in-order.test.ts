import { describe, expect, it } from "vitest";
import { inOrder } from "../../src/api/in-order.js";

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failLater = (ms: number, message: string) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(message)), ms));

describe("inOrder", () => {
  it("returns both values in argument order", async () => {
    await expect(inOrder(later(20, "a"), later(1, 2))).resolves.toEqual(["a", 2]);
  });

  it("reports the first task's error even when the second failed sooner", async () => {
    await expect(inOrder(failLater(20, "bad revision file"), failLater(1, "connection refused"))).rejects.toThrow("bad revision file");
  });

  it("reports the second task's error when the first succeeds", async () => {
    await expect(inOrder(later(1, "a"), failLater(5, "connection refused"))).rejects.toThrow("connection refused");
  });

  it("waits for the second task before failing with the first's error", async () => {
    let secondDone = false;
    const second = later(15, 0).then(() => (secondDone = true));
    await expect(inOrder(failLater(1, "first"), second)).rejects.toThrow("first");
    expect(secondDone).toBe(true);
  });
});

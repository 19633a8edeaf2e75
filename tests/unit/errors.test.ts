import { describe, expect, it, vi } from "vitest";
import { AppError, toErrorResponse } from "@/lib/errors";

describe("AppError across module copies", () => {
  // Next.js bundles instrumentation apart from the route handlers, so lib/errors can be
  // loaded twice; the storage on globalThis then throws the other copy's AppError.
  it("maps another copy's AppError to its own status, not a 500", async () => {
    vi.resetModules();
    const other = await import("@/lib/errors");
    expect(other.AppError).not.toBe(AppError);
    const err = new other.AppError("payload_too_large", "The body is larger than 10 bytes.");
    expect(err instanceof AppError).toBe(true);
    expect(toErrorResponse(err)).toMatchObject({
      status: 413,
      body: { error: { code: "payload_too_large", message: "The body is larger than 10 bytes." } },
    });
  });

  it("still tells other errors apart", () => {
    for (const value of [new Error("x"), { status: 404, code: "not_found" }, null, "x"])
      expect(value instanceof AppError).toBe(false);
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(toErrorResponse(new TypeError("boom")).status).toBe(500);
    quiet.mockRestore();
  });
});

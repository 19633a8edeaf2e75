import { describe, expect, it } from "vitest";
import { routeLabel, UNMATCHED } from "@/lib/observability/route-label";

describe("routeLabel", () => {
  it.each([
    ["/api/me", {}, "/api/me"],
    ["/api/me/", {}, "/api/me"],
    ["/api/videos/abc123", { id: "abc123" }, "/api/videos/[id]"],
    ["/api/videos/abc123/progress", { id: "abc123" }, "/api/videos/[id]/progress"],
    ["/api/videos/%27x", { id: "'x" }, "/api/videos/[id]"],
    [
      "/api/admin/videos/v1/captions/en",
      { id: "v1", lang: "en" },
      "/api/admin/videos/[id]/captions/[lang]",
    ],
    ["/api/no-such/route", { path: ["no-such", "route"] }, "/api/[...path]"],
    [
      "/api/auth/callback/credentials",
      { nextauth: ["callback", "credentials"] },
      "/api/auth/[...nextauth]",
    ],
  ])("%s with %j is %s", (path, params, label) => {
    expect(routeLabel(path, params)).toBe(label);
  });

  it("never lets a caller's spelling become a label", () => {
    expect(routeLabel("/api/m%65", {})).toBe(UNMATCHED);
    expect(routeLabel("/api/videos/x", { id: "y" })).toBe(UNMATCHED);
    expect(routeLabel("/api/../api/me", {})).toBe(UNMATCHED);
  });
});

import { describe, expect, it } from "vitest";
import { loadViewerRequest } from "@/edge/load-viewer-request";

const rewrite = loadViewerRequest();

describe("viewer-request function (the file CloudFront runs)", () => {
  it.each([
    ["/", "/index.html"],
    ["", "/index.html"],
    ["/videos", "/videos.html"],
    ["/videos/", "/videos.html"],
    ["/watch", "/watch.html"],
    ["/signin", "/signin.html"],
    ["/admin", "/admin.html"],
    ["/admin/", "/admin.html"],
    ["/admin/upload", "/admin/upload.html"],
    ["/admin/videos/", "/admin/videos.html"],
    ["/_next/static/chunks/main-abc123.js", "/_next/static/chunks/main-abc123.js"],
    ["/_next/static/css/app.css", "/_next/static/css/app.css"],
    ["/favicon.svg", "/favicon.svg"],
    ["/404.html", "/404.html"],
    ["/robots.txt", "/robots.txt"],
    ["/a.b/c", "/a.b/c.html"],
  ])("%s -> %s", (uri, expected) => {
    expect(rewrite(uri, "GET")).toBe(expected);
  });

  it.each([
    "/api/health",
    "/api/auth/session",
    "/api/",
    "/media/videos/x/hls/master.m3u8",
    "/media/",
  ])("leaves %s alone (its own behavior)", (uri) => {
    expect(rewrite(uri, "GET")).toBe(uri);
  });

  it("runs without any Node global (CloudFront's runtime has none)", () => {
    // loadViewerRequest evaluates the file in an empty VM context; a reference to
    // require/process/Buffer would throw there.
    expect(() => rewrite("/videos", "HEAD")).not.toThrow();
  });
});

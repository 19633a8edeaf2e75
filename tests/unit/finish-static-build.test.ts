import { describe, expect, it } from "vitest";
import { APP_SCRIPTS_ID, scriptSafeJson } from "@/components/player/early-player";
import { deferAppScripts } from "../../scripts/finish-static-build";

// The shape of Next.js 16's exported HTML, cut down to what the rewrite touches.
const page = (list = "[]") =>
  [
    "<!DOCTYPE html><html><head>",
    '<link rel="stylesheet" href="/_next/static/chunks/x.css" data-precedence="next"/>',
    '<link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/runtime.js"/>',
    '<script src="/_next/static/chunks/a.js" async=""></script>',
    '<script src="/_next/static/chunks/b.js" async=""></script>',
    '<script src="/_next/static/chunks/polyfills.js" noModule=""></script>',
    "</head><body>",
    `<script id="${APP_SCRIPTS_ID}" type="application/json">${list}</script>`,
    '<script src="/_next/static/vendor/hls.js"></script>',
    "<script>self.__next_f.push([0])</script>",
    "</body></html>",
  ].join("");

describe("deferAppScripts", () => {
  it("takes the app's scripts and their preloads out and lists them in order", () => {
    const { html, scripts } = deferAppScripts(page());
    expect(scripts).toEqual(["/_next/static/chunks/a.js", "/_next/static/chunks/b.js"]);
    expect(html).not.toContain('src="/_next/static/chunks/a.js"');
    expect(html).not.toContain('rel="preload" as="script"');
    expect(html).toContain(
      `<script id="${APP_SCRIPTS_ID}" type="application/json">${JSON.stringify(scripts)}</script>`,
    );
    // Left alone: the stylesheet, the legacy polyfills (never run by a module browser),
    // hls.js and the inline payload.
    expect(html).toContain('href="/_next/static/chunks/x.css"');
    expect(html).toContain('src="/_next/static/chunks/polyfills.js" noModule=""');
    expect(html).toContain('<script src="/_next/static/vendor/hls.js"></script>');
    expect(html).toContain("self.__next_f.push([0])");
  });

  it("writes JSON that cannot end the inline <script> it sits in", () => {
    const json = scriptSafeJson(["/a.js</script><script>alert(1)</script>"]);
    expect(json).not.toContain("</script>");
    expect(JSON.parse(json)).toEqual(["/a.js</script><script>alert(1)</script>"]);
  });

  it("fails loudly when the page is not what it expects", () => {
    expect(() => deferAppScripts(page().replace(`id="${APP_SCRIPTS_ID}"`, 'id="other"'))).toThrow(
      /no rg-app-scripts list/,
    );
    expect(() => deferAppScripts(page().replaceAll(' async=""', ""))).toThrow(
      /no Next.js scripts found/,
    );
    // Run twice, the second run finds the list filled already.
    expect(() => deferAppScripts(deferAppScripts(page()).html)).toThrow();
  });
});

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { APP_SCRIPTS_ID } from "@/components/player/early-player";
import { hlsAsset } from "../../scripts/hls-asset.mjs";
import { apiRoutesInSource, walk } from "../support/files";

// Runs after `npm run build` (npm test builds first). Proves that each build
// output holds its own half of the app and nothing of the other.

const root = path.resolve(import.meta.dirname, "../..");
const out = path.join(root, "out");
const api = path.join(root, ".next-api");
const APP_SCRIPT_TAG = /<script src="\/_next\/static\/chunks\/[^"]+\.js" async="">/;

describe("build outputs", () => {
  it("both builds exist (run `npm run build` first)", () => {
    expect(existsSync(path.join(out, "index.html")), "out/index.html").toBe(true);
    expect(
      existsSync(path.join(api, "standalone/server.js")),
      ".next-api/standalone/server.js",
    ).toBe(true);
  });

  it("the api build has every route handler and no page", () => {
    const manifest = JSON.parse(
      readFileSync(path.join(api, "server/app-paths-manifest.json"), "utf8"),
    ) as Record<string, string>;
    const routes = Object.keys(manifest)
      .filter((r) => r.endsWith("/route"))
      .map((r) => r.replace(/\/route$/, ""))
      .sort();
    expect(routes).toEqual(apiRoutesInSource(root).map((r) => r.route));
    // Next's own fallbacks (/_not-found, /_global-error) are not pages of ours.
    const pages = Object.keys(manifest).filter((r) => r.endsWith("/page") && !r.startsWith("/_"));
    expect(pages).toEqual([]);
  });

  it("the static export has the pages and no route handler", () => {
    const files = walk(out).map((f) => "/" + path.relative(out, f));
    for (const page of [
      "/index.html",
      "/signin.html",
      "/signout.html",
      "/videos.html",
      "/watch.html",
      "/admin.html",
      "/admin/upload.html",
      "/admin/videos.html",
      "/admin/users.html",
      "/404.html",
    ]) {
      expect(files, page).toContain(page);
    }
    expect(files.filter((f) => f.startsWith("/api"))).toEqual([]);
  });

  it("the watch page lists its app's scripts instead of loading them, and carries hls.js", () => {
    const html = readFileSync(path.join(out, "watch.html"), "utf8");
    expect(html).not.toMatch(APP_SCRIPT_TAG);
    const list = new RegExp(
      `<script id="${APP_SCRIPTS_ID}" type="application/json">(\\[.*?\\])</script>`,
    ).exec(html);
    const scripts = JSON.parse(list?.[1] ?? "[]") as string[];
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(existsSync(path.join(out, src)), src).toBe(true);
    const hls = /<script src="(\/_next\/static\/vendor\/hls\.[0-9a-f]{16}\.min\.js)">/.exec(html);
    expect(hls, "hls.js script tag").not.toBeNull();
    expect(readFileSync(path.join(out, hls![1]!)).equals(readFileSync(hlsAsset().source))).toBe(
      true,
    );
    // Every other page loads its scripts as Next.js wrote them.
    expect(readFileSync(path.join(out, "videos.html"), "utf8")).toMatch(APP_SCRIPT_TAG);
  });

  it("out/ contains no secret and no server module", () => {
    const forbidden = [
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
      /AUTH_SECRET|NEXTAUTH_SECRET|DATABASE_URL|CLOUDFRONT_PRIVATE_KEY/,
      /server-only/,
      /@electric-sql\/pglite|drizzle-orm|node-postgres/,
      /@aws-sdk\/client-(ssm|s3)|cloudfront-signer/,
      /@node-rs\/argon2|argon2id/,
      /\bffprobe\b|-var_stream_map/,
    ];
    const offenders: string[] = [];
    for (const file of walk(out)) {
      if (!/\.(html|js|css|json|txt|map)$/.test(file)) continue;
      const text = readFileSync(file, "utf8");
      for (const pattern of forbidden) {
        if (pattern.test(text)) offenders.push(`${path.relative(root, file)}: ${pattern}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

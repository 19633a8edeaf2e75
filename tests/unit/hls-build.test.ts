import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { buildHls, hlsAsset } from "../../scripts/hls-asset.mjs";
import { hlsOptions } from "@/components/player/hls-options";
import type { HlsClass } from "@/components/player/hls-library";

// Reelgate's hls.js, built from hls.js's sources with the modules it does not need replaced
// (scripts/hls-asset.mjs). Whether it plays is for the e2e tests in a real Chromium; here:
// that the file is a classic script defining `Hls`, and that an instance with the player's
// options can be made, which runs every replaced controller's and loader's constructor.

/** Runs the built file as a browser would run a classic <script>, and returns its `Hls`. */
function evaluate(code: string): HlsClass {
  const self: Record<string, unknown> = {};
  const context = vm.createContext({ self, console, setTimeout, clearTimeout, performance });
  self.self = self;
  vm.runInContext(code, context);
  return self.Hls as HlsClass;
}

describe("Reelgate's hls.js build", () => {
  it("is a classic script that defines Hls at hls.js's version, with its licence", async () => {
    const asset = await buildHls();
    expect(asset).toEqual(hlsAsset());
    expect(asset.urlPath).toMatch(/^\/_next\/static\/vendor\/hls\.[0-9a-f]{16}\.min\.js$/);
    const code = readFileSync(asset.source, "utf8");
    const pinned = (
      JSON.parse(readFileSync("node_modules/hls.js/package.json", "utf8")) as { version: string }
    ).version;
    expect(code.startsWith(`/*! hls.js ${pinned} | Apache-2.0`)).toBe(true);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);

    const Hls = evaluate(code);
    expect(typeof Hls).toBe("function");
    expect(Hls.version).toBe(pinned);
    expect(Hls.Events.MANIFEST_PARSED).toBe("hlsManifestParsed");
  });

  it("makes a source with the player's options, without the features left out", async () => {
    const Hls = evaluate(readFileSync((await buildHls()).source, "utf8"));
    const hls = new Hls(hlsOptions(Hls.DefaultConfig.fragLoadPolicy.default, -1));
    expect(hls.config.enableWorker).toBe(false);
    expect(hls.config.capLevelToPlayerSize).toBe(true);
    // Left out: the controllers for low latency, FPS drops and ID3 tracks (hls.js checks
    // for an absent one), and the progressive fetch loader.
    expect(Hls.DefaultConfig.latencyController).toBeUndefined();
    expect(Hls.DefaultConfig.fpsController).toBeUndefined();
    expect(Hls.DefaultConfig.id3TrackController).toBeUndefined();
    expect(hls.latency).toBe(0);
    hls.destroy();
  });
});

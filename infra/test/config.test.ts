import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../lib/config";
import { testPublicKeys } from "./synth";

const keys = testPublicKeys();

function load(context: Record<string, unknown>, siteExists = true) {
  return loadConfig((k) => context[k], {
    defaultSiteDir: "/repo/out",
    siteDirExists: () => siteExists,
  });
}

describe("loadConfig", () => {
  it("defaults to prod in us-east-1 with production sizes", () => {
    const c = load({ publicKeys: [keys[0]] });
    expect(c.stage).toBe("prod");
    expect(c.region).toBe("us-east-1");
    expect(c.isProduction).toBe(true);
    expect(c.sizing.dbMultiAz).toBe(true);
    expect(c.privateKeyParameterName).toBe("/reelgate/prod/cloudfront-private-key");
    expect(c.activeKeyId).toBe(keys[0]!.id);
    expect(c.usingPlaceholderKey).toBe(false);
  });

  it("gives preview stages smaller, disposable sizes and their own parameter", () => {
    const c = load({ stage: "preview-feat-x" });
    expect(c.isProduction).toBe(false);
    expect(c.sizing.apiMinTasks).toBe(1);
    expect(c.sizing.dbMultiAz).toBe(false);
    expect(c.privateKeyParameterName).toBe("/reelgate/preview-feat-x/cloudfront-private-key");
  });

  it.each(["staging", "preview-", "preview-Feat", "preview-a_b", `preview-${"x".repeat(40)}`])(
    "rejects stage %j",
    (stage) => {
      expect(() => load({ stage })).toThrow(ConfigError);
    },
  );

  it("refuses any region but us-east-1 (CLOUDFRONT-scope WAF)", () => {
    expect(() => load({ region: "eu-west-1" })).toThrow(/us-east-1/);
  });

  it("falls back to the placeholder key when none is configured", () => {
    const c = load({});
    expect(c.usingPlaceholderKey).toBe(true);
    expect(c.publicKeys).toHaveLength(1);
    expect(c.publicKeys[0]!.pem).toContain("BEGIN PUBLIC KEY");
  });

  it("accepts keys and CIDRs as JSON or comma strings (-c key=value)", () => {
    const c = load({
      publicKeys: JSON.stringify(keys),
      activeKeyId: keys[1]!.id,
      adminIpv4Cidrs: "203.0.113.7/32, 198.51.100.0/24",
      adminIpv6Cidrs: '["2001:db8::/48"]',
    });
    expect(c.publicKeys.map((k) => k.id)).toEqual(keys.map((k) => k.id));
    expect(c.activeKeyId).toBe(keys[1]!.id);
    expect(c.adminIpv4Cidrs).toEqual(["203.0.113.7/32", "198.51.100.0/24"]);
    expect(c.adminIpv6Cidrs).toEqual(["2001:db8::/48"]);
  });

  it("requires activeKeyId once two keys are configured, and it must be one of them", () => {
    expect(() => load({ publicKeys: keys })).toThrow(/activeKeyId/);
    expect(() => load({ publicKeys: keys, activeKeyId: "nope" })).toThrow(/activeKeyId/);
    expect(() =>
      load({ publicKeys: [...keys, { id: "third", pem: keys[0]!.pem }], activeKeyId: "third" }),
    ).toThrow(/at most two/);
    expect(() => load({ publicKeys: [keys[0], { ...keys[0] }] })).toThrow(/unique/);
  });

  it("takes an ECDSA P-256 key alone, or beside an RSA-2048 one while rotating", () => {
    const [rsa, ecdsa] = keys;
    expect(load({ publicKeys: [ecdsa] }).publicKeys).toEqual([ecdsa]);
    const rotating = load({ publicKeys: [rsa, ecdsa], activeKeyId: ecdsa!.id });
    expect(rotating.publicKeys.map((k) => k.id)).toEqual([rsa!.id, ecdsa!.id]);
    expect(rotating.activeKeyId).toBe(ecdsa!.id);
  });

  const pem = (key: KeyObject) => key.export({ type: "spki", format: "pem" }).toString();
  it.each([
    ["P-384", () => generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey, /secp384r1/],
    ["RSA-1024", () => generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey, /RSA-1024/],
    ["Ed25519", () => generateKeyPairSync("ed25519").publicKey, /ed25519/],
  ])("refuses a %s public key at synth, naming the entry", (_name, make, what) => {
    const bad = { id: "bad", pem: pem(make()) };
    const thrown = () => load({ publicKeys: [keys[0], bad], activeKeyId: "bad" });
    expect(thrown).toThrow(ConfigError);
    expect(thrown).toThrow(/publicKeys\.1\.pem: holds .*CloudFront takes/);
    expect(thrown).toThrow(what);
  });

  it("refuses a PEM that does not parse", () => {
    const mangled = keys[1]!.pem.replace(/\n[A-Za-z0-9+/]{10}/, "\n");
    expect(() => load({ publicKeys: [{ id: "k", pem: mangled }] })).toThrow(
      /publicKeys\.0\.pem: is not a readable PEM public key/,
    );
  });

  it.each([
    ["adminIpv4Cidrs", ["203.0.113.7"]],
    ["adminIpv4Cidrs", ["300.0.0.1/32"]],
    ["adminIpv4Cidrs", ["10.0.0.0/33"]],
    ["adminIpv6Cidrs", ["203.0.113.0/24"]],
    ["adminIpv6Cidrs", ["2001:db8::/129"]],
    ["privateKeyParameterName", "reelgate/no-leading-slash"],
    ["publicKeys", [{ id: "k", pem: "not a key" }]],
    ["adminEmail", "not-an-email"],
  ])("rejects %s = %j", (key, value) => {
    expect(() => load({ [key]: value })).toThrow(new RegExp(key));
  });

  it("needs a certificate with a custom domain and pairs origin name with origin certificate", () => {
    expect(() => load({ domainName: "videos.example.com" })).toThrow(/certificateArn/);
    expect(() => load({ originDomainName: "origin.example.com" })).toThrow(/originCertificateArn/);
  });

  it("skips the site deployment when out/ is missing, saying where it looked", () => {
    const missing = load({}, false);
    expect(missing.siteDir).toBeUndefined();
    expect(missing.missingSiteDir).toBe("/repo/out");
    const skipped = load({ skipSiteDeployment: "true" }, true);
    expect(skipped.siteDir).toBeUndefined();
    expect(skipped.missingSiteDir).toBeUndefined();
    expect(load({}, true).siteDir).toBe("/repo/out");
  });
});

import { describe, expect, it } from "vitest";
import { buildCustomPolicy } from "@/lib/cloudfront";

const R = "https://videos.example.com/media/*";

describe("buildCustomPolicy", () => {
  it.each([
    [
      "DateLessThan only",
      { resource: R, dateLessThan: 1767225600 },
      '{"Statement":[{"Resource":"https://videos.example.com/media/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600}}}]}',
    ],
    [
      "with DateGreaterThan",
      { resource: R, dateLessThan: 1767225600, dateGreaterThan: 1767221940 },
      '{"Statement":[{"Resource":"https://videos.example.com/media/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600},"DateGreaterThan":{"AWS:EpochTime":1767221940}}}]}',
    ],
    [
      "with a bare IP (becomes /32)",
      { resource: R, dateLessThan: 1767225600, sourceIp: "203.0.113.7" },
      '{"Statement":[{"Resource":"https://videos.example.com/media/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600},"IpAddress":{"AWS:SourceIp":"203.0.113.7/32"}}}]}',
    ],
    [
      "with all three conditions",
      {
        resource: R,
        dateLessThan: 1767225600,
        dateGreaterThan: 1767221940,
        sourceIp: "203.0.113.0/24",
      },
      '{"Statement":[{"Resource":"https://videos.example.com/media/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600},"DateGreaterThan":{"AWS:EpochTime":1767221940},"IpAddress":{"AWS:SourceIp":"203.0.113.0/24"}}}]}',
    ],
    [
      "with an IPv4-mapped IPv6 client address",
      { resource: R, dateLessThan: 1767225600, sourceIp: "::ffff:10.1.2.3" },
      '{"Statement":[{"Resource":"https://videos.example.com/media/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767225600},"IpAddress":{"AWS:SourceIp":"10.1.2.3/32"}}}]}',
    ],
    [
      "with a /0 range and an http port origin",
      {
        resource: "http://localhost:3000/media/*",
        dateLessThan: 2000000000,
        sourceIp: "0.0.0.0/0",
      },
      '{"Statement":[{"Resource":"http://localhost:3000/media/*","Condition":{"DateLessThan":{"AWS:EpochTime":2000000000},"IpAddress":{"AWS:SourceIp":"0.0.0.0/0"}}}]}',
    ],
  ])("is byte-exact %s", (_name, args, expected) => {
    expect(buildCustomPolicy(args)).toBe(expected);
  });

  it("has no whitespace and exactly one statement, whatever the input", () => {
    const policy = buildCustomPolicy({
      resource: "https://a.example/media/*",
      dateLessThan: 1800000000,
      dateGreaterThan: 1700000000,
      sourceIp: " 192.0.2.1/16 ",
    });
    expect(policy).not.toMatch(/\s/);
    const parsed = JSON.parse(policy) as { Statement: { Condition: object }[] };
    expect(parsed.Statement).toHaveLength(1);
    expect(Object.keys(parsed.Statement[0]?.Condition ?? {})).toEqual([
      "DateLessThan",
      "DateGreaterThan",
      "IpAddress",
    ]);
  });

  it.each([
    ["a fractional expiry", { resource: R, dateLessThan: 1767225600.5 }, /dateLessThan/],
    [
      "an expiry in milliseconds beyond safe integers",
      { resource: R, dateLessThan: 2 ** 53 },
      /dateLessThan/,
    ],
    ["a zero expiry", { resource: R, dateLessThan: 0 }, /dateLessThan/],
    ["NaN", { resource: R, dateLessThan: Number.NaN }, /dateLessThan/],
    [
      "a fractional start",
      { resource: R, dateLessThan: 20, dateGreaterThan: 1.5 },
      /dateGreaterThan/,
    ],
    ["a start after the end", { resource: R, dateLessThan: 20, dateGreaterThan: 20 }, /before/],
    ["an IPv6 client", { resource: R, dateLessThan: 20, sourceIp: "2001:db8::1" }, /IPv4/],
    ["a prefix over 32", { resource: R, dateLessThan: 20, sourceIp: "10.0.0.0/33" }, /prefix/],
    ["an empty prefix", { resource: R, dateLessThan: 20, sourceIp: "10.0.0.0/" }, /prefix/],
    ["three octets", { resource: R, dateLessThan: 20, sourceIp: "10.0.0/8" }, /IPv4/],
    ["two slashes", { resource: R, dateLessThan: 20, sourceIp: "10.0.0.0/8/8" }, /IPv4/],
    ["a host name", { resource: R, dateLessThan: 20, sourceIp: "example.com" }, /IPv4/],
  ])("refuses %s", (_name, args, message) => {
    expect(() => buildCustomPolicy(args)).toThrow(message);
  });
});

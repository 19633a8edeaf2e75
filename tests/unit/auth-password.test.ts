import { afterEach, describe, expect, it, vi } from "vitest";
import { hkdf } from "node:crypto";
import { hashPassword, MAX_CONCURRENT_HASHES, verifyPassword } from "@/lib/auth/password";

// A burst of sign-ins used to hand every argon2 hash to libuv's thread pool at once,
// and the session JWT crypto (and fs) of every other request queued behind all of
// them: in bench/viewers.ts, members' first media cookies waited seconds for it.

/** A job on libuv's thread pool that takes well under a millisecond of work. */
const poolJob = () =>
  new Promise<void>((resolve, reject) =>
    hkdf("sha256", "key", "salt", "info", 32, (err) => (err ? reject(err) : resolve())),
  );

describe("password hashing", () => {
  it("keeps at least one pool thread free of argon2, whatever the pool size", () => {
    expect(MAX_CONCURRENT_HASHES).toBeGreaterThanOrEqual(1);
    expect(MAX_CONCURRENT_HASHES).toBeLessThan(Number(process.env.UV_THREADPOOL_SIZE) || 4);
  });

  it("lets a short pool job through while many sign-ins are waiting", async () => {
    const hashed = await hashPassword("correct horse battery");
    const count = 4 * MAX_CONCURRENT_HASHES + 4;
    let finished = 0;
    const verifies = Array.from({ length: count }, (_, i) =>
      verifyPassword(hashed, i % 2 ? "correct horse battery" : "wrong").then((ok) => {
        finished += 1;
        return ok;
      }),
    );
    await poolJob();
    // Unbounded, the job would have waited for all but the last pool-sized batch.
    expect(finished).toBeLessThanOrEqual(MAX_CONCURRENT_HASHES);
    const results = await Promise.all(verifies);
    expect(results).toEqual(Array.from({ length: count }, (_, i) => i % 2 === 1));
  });
});

describe("password hashing limit", () => {
  afterEach(() => {
    vi.doUnmock("@node-rs/argon2");
    vi.resetModules();
  });

  /** The module with argon2 replaced by calls that finish when the test says. */
  async function withControlledArgon2() {
    const calls: { kind: string; finish: (ok: boolean) => void; fail: () => void }[] = [];
    let inFlight = 0;
    let peak = 0;
    const pending = (kind: string) =>
      new Promise<unknown>((resolve, reject) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        const done = () => (inFlight -= 1);
        calls.push({
          kind,
          finish: (ok) => {
            done();
            resolve(kind === "hash" ? "$argon2id$fake" : ok);
          },
          fail: () => {
            done();
            reject(new Error("argon2 failed"));
          },
        });
      });
    vi.resetModules();
    vi.doMock("@node-rs/argon2", () => ({
      hash: () => pending("hash"),
      verify: () => pending("verify"),
    }));
    const mod = await import("@/lib/auth/password");
    return { mod, calls, peak: () => peak, inFlight: () => inFlight };
  }

  const tick = () => new Promise((r) => setImmediate(r));

  it("runs at most MAX_CONCURRENT_HASHES at once, in arrival order", async () => {
    const { mod, calls, peak } = await withControlledArgon2();
    const n = mod.MAX_CONCURRENT_HASHES + 3;
    const results = Array.from({ length: n }, () => mod.verifyPassword("$argon2id$x", "pw"));
    await tick();
    expect(calls).toHaveLength(mod.MAX_CONCURRENT_HASHES);
    // Finish them one by one: each frees exactly one slot for the next in line.
    for (let i = 0; i < n; i += 1) {
      calls[i]!.finish(i === 0);
      await tick();
      expect(calls).toHaveLength(Math.min(n, mod.MAX_CONCURRENT_HASHES + i + 1));
    }
    expect(peak()).toBe(mod.MAX_CONCURRENT_HASHES);
    expect(await Promise.all(results)).toEqual(Array.from({ length: n }, (_, i) => i === 0));
  });

  it("frees the slot of a hash that fails, and the failure is a plain false", async () => {
    const { mod, calls, inFlight } = await withControlledArgon2();
    const n = mod.MAX_CONCURRENT_HASHES + 1;
    const results = Array.from({ length: n }, () => mod.verifyPassword("$argon2id$x", "pw"));
    await tick();
    calls[0]!.fail();
    await tick();
    expect(calls).toHaveLength(n);
    for (const call of calls.slice(1)) call.finish(true);
    expect(await Promise.all(results)).toEqual([false, ...Array<boolean>(n - 1).fill(true)]);
    expect(inFlight()).toBe(0);
  });

  it("counts the unknown-account path (dummy hash, then verify) against the same limit", async () => {
    const { mod, calls, peak } = await withControlledArgon2();
    const results = Array.from({ length: mod.MAX_CONCURRENT_HASHES + 2 }, () =>
      mod.verifyPassword(null, "pw"),
    );
    // Drive whatever is running to completion until every caller has its answer.
    let settled = false;
    void Promise.all(results).then(() => (settled = true));
    for (let i = 0; !settled && i < 100; i += 1) {
      await tick();
      for (const call of calls.splice(0)) call.finish(true);
    }
    expect(await Promise.all(results)).toEqual(
      Array<boolean>(mod.MAX_CONCURRENT_HASHES + 2).fill(false),
    );
    expect(peak()).toBeLessThanOrEqual(mod.MAX_CONCURRENT_HASHES);
  });

  it("limits hashing for new accounts too", async () => {
    const { mod, calls } = await withControlledArgon2();
    const hashes = Array.from({ length: mod.MAX_CONCURRENT_HASHES + 2 }, (_, i) =>
      mod.hashPassword(`password-${i}`),
    );
    await tick();
    expect(calls).toHaveLength(mod.MAX_CONCURRENT_HASHES);
    for (let i = 0; i < hashes.length; i += 1) {
      calls[i]!.finish(true);
      await tick();
    }
    expect(await Promise.all(hashes)).toEqual(Array(hashes.length).fill("$argon2id$fake"));
  });
});

import "server-only";
import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/argon2";

// argon2id with the library defaults (19 MiB, t=2): the OWASP baseline. The
// package exports `Algorithm` as a const enum, which isolatedModules cannot read:
// 2 is its Argon2id member.
const OPTIONS = { algorithm: 2 } as const;

/**
 * How many argon2 hashes run at once. They run on libuv's thread pool, which the
 * process shares with WebCrypto (session JWTs are decrypted and encrypted there), `fs`
 * and zlib. Handed over all at once, a burst of sign-ins fills the pool's queue, and a
 * request that needs a sub-millisecond crypto job waits for the whole backlog: during
 * 80 simultaneous sign-ins, a member's first media cookies (one JWT decryption) took
 * about 4 s at the median, 1.5 s with this limit (2 cores). So at most this many hashes
 * are in the pool, at least one thread stays free for the short jobs, and the rest wait
 * here in arrival order. More hashes at once than cores would not sign anyone in sooner.
 *
 * UV_THREADPOOL_SIZE is libuv's own setting (default 4), read for the pool's size only.
 */
export const MAX_CONCURRENT_HASHES = Math.max(
  1,
  Math.min(availableParallelism(), (Number(process.env.UV_THREADPOOL_SIZE) || 4) - 1),
);

// A dozen lines of first-come queue, written here rather than adding p-limit for them.
let running = 0;
const waiting: (() => void)[] = [];

/** Runs `task` once fewer than MAX_CONCURRENT_HASHES others run (first come, first served). */
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running < MAX_CONCURRENT_HASHES) running += 1;
  // A finishing task hands its slot straight to the next in line, so `running` stays put.
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

export function hashPassword(password: string): Promise<string> {
  return limited(() => hash(password, OPTIONS));
}

// A hash of a random string, verified against when the account does not exist, so
// that "no such user" costs the same time as "wrong password" (no enumeration by timing).
let dummyHash: Promise<string> | undefined;

/** True when `password` matches `passwordHash`; false for a missing hash, never throws. */
export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hashPassword(crypto.randomUUID());
    const dummy = await dummyHash;
    await limited(() => verify(dummy, password)).catch(() => false);
    return false;
  }
  try {
    return await limited(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

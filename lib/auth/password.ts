import "server-only";
import { hash, verify } from "@node-rs/argon2";

// argon2id with the library defaults (19 MiB, t=2): the OWASP baseline. The
// package exports `Algorithm` as a const enum, which isolatedModules cannot read:
// 2 is its Argon2id member.
const OPTIONS = { algorithm: 2 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
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
    dummyHash ??= hash(crypto.randomUUID(), OPTIONS);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

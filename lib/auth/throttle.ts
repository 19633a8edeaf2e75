import "server-only";
import { env } from "@/lib/env";
import { dbThrottleStore, type ThrottleStore } from "./throttle-store";

/**
 * Failed sign-in limits. Three counters, each for SIGNIN_WINDOW_SECONDS:
 *
 * - per (account, address) pair, SIGNIN_MAX_FAILURES: one address guessing one account's
 *   password is locked out of that account, and only of that one;
 * - per address, SIGNIN_MAX_FAILURES_PER_ADDRESS: one address guessing many accounts;
 * - per account, SIGNIN_MAX_FAILURES_PER_ACCOUNT: many addresses guessing one account.
 *   Reaching it does not lock the account: it is "under attack", sign-ins from devices
 *   and addresses that never signed in to it wait until the window ends, the owner's
 *   known devices and addresses keep working, and the admin is told (log and dashboard).
 *
 * Locking the account itself on a handful of failures, as before, handed anyone a button
 * that locked out any member, the admin included, with five wrong passwords.
 */
export interface SignInAttempt {
  email: string;
  ip: string;
}

let store: ThrottleStore = dbThrottleStore;

/** Swaps the counters' store (a shared cache instead of the table, or a test's). */
export function useThrottleStore(next: ThrottleStore): void {
  store = next;
}

function normalized(email: string): string {
  return email.trim().toLowerCase();
}

export function throttleKeys({ email, ip }: SignInAttempt) {
  const account = normalized(email);
  return {
    pair: `pair:${account}|${ip}`,
    address: `address:${ip}`,
    account: `account:${account}`,
  };
}

function secondsUntil(date: Date | null, now: number): number {
  return date && date.getTime() > now ? Math.ceil((date.getTime() - now) / 1000) : 0;
}

/**
 * Seconds the attempt must wait (0: go ahead), and whether that is because the account
 * is under attack rather than because of this attempt's own failures. `isKnown` says whether the attempt's
 * device or address signed in to the account before; it is asked only while the account
 * is under attack.
 */
export async function signInWait(
  attempt: SignInAttempt,
  isKnown: () => Promise<boolean>,
): Promise<{ seconds: number; underAttack: boolean }> {
  const keys = throttleKeys(attempt);
  const now = Date.now();
  const states = new Map(
    (await store.read([keys.pair, keys.address, keys.account])).map((s) => [s.key, s]),
  );
  const locked = Math.max(
    secondsUntil(states.get(keys.pair)?.lockedUntil ?? null, now),
    secondsUntil(states.get(keys.address)?.lockedUntil ?? null, now),
  );
  if (locked > 0) return { seconds: locked, underAttack: false };
  const restricted = secondsUntil(states.get(keys.account)?.lockedUntil ?? null, now);
  if (restricted > 0 && !(await isKnown())) return { seconds: restricted, underAttack: true };
  return { seconds: 0, underAttack: false };
}

/** Counts a failed attempt; returns the seconds it must now wait (0 if none). */
export async function recordSignInFailure(attempt: SignInAttempt): Promise<number> {
  const config = env();
  const window = config.SIGNIN_WINDOW_SECONDS;
  const keys = throttleKeys(attempt);
  const pair = await store.fail(keys.pair, config.SIGNIN_MAX_FAILURES, window);
  const address = await store.fail(keys.address, config.SIGNIN_MAX_FAILURES_PER_ADDRESS, window);
  const account = await store.fail(keys.account, config.SIGNIN_MAX_FAILURES_PER_ACCOUNT, window);
  if (account.failures === config.SIGNIN_MAX_FAILURES_PER_ACCOUNT) {
    // Once per window, when the account crosses the line: the admin's log alert.
    console.warn(
      `[auth] sign-in alert: ${normalized(attempt.email)} has had ${account.failures} failed sign-ins in ${Math.round(window / 60)} minutes; until ${account.lockedUntil?.toISOString()} only devices and addresses that signed in to it before may sign in`,
    );
  }
  const now = Date.now();
  return Math.max(secondsUntil(pair.lockedUntil, now), secondsUntil(address.lockedUntil, now));
}

/** A successful sign-in clears its pair's counter (not the address's or the account's). */
export async function recordSignInSuccess(attempt: SignInAttempt): Promise<void> {
  await store.clear(throttleKeys(attempt).pair);
}

/** An account with failed sign-ins in the current window, for the admin's dashboard. */
export interface SignInAlert {
  email: string;
  failures: number;
  since: string;
  /** Under attack: new devices and addresses wait until `until`. */
  restricted: boolean;
  until: string | null;
}

/** Accounts with at least SIGNIN_MAX_FAILURES failures in the window, most first. */
export async function signInAlerts(): Promise<SignInAlert[]> {
  const config = env();
  const rows = await store.list(
    "account:",
    config.SIGNIN_MAX_FAILURES,
    config.SIGNIN_WINDOW_SECONDS,
  );
  const now = Date.now();
  return rows
    .map((r) => ({
      email: r.key.slice("account:".length),
      failures: r.failures,
      since: r.windowStartedAt.toISOString(),
      restricted: secondsUntil(r.lockedUntil, now) > 0,
      until: r.lockedUntil && r.lockedUntil.getTime() > now ? r.lockedUntil.toISOString() : null,
    }))
    .sort((a, b) => b.failures - a.failures);
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { passwordResets } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { testDatabase, useAsAppDatabase } from "./helpers/db";

// Sign-in limits, session rows, password change and reset links on the real database
// (PGlite, or Postgres with TEST_DATABASE_URL): what a member and an attacker would see.

process.env.SIGNIN_MAX_FAILURES = "3";
process.env.SIGNIN_MAX_FAILURES_PER_ADDRESS = "100";
process.env.SIGNIN_MAX_FAILURES_PER_ACCOUNT = "6";
process.env.SESSION_USER_CACHE_SECONDS = "60";
const { createUser, findUserById, updateUser } = await import("@/lib/auth/users");
const { verifyPassword } = await import("@/lib/auth/password");
const { recordSignInFailure, recordSignInSuccess, signInAlerts, signInWait } =
  await import("@/lib/auth/throttle");
const { createSession, findSession, isKnownSignIn, isLive, listSessions } =
  await import("@/lib/auth/sessions");
const { changeOwnPassword, createResetLink, endAllSessions, endOwnSession, redeemResetLink } =
  await import("@/lib/auth/account");

const device = (n: number) => `device${String(n).padStart(16, "0")}`;
const never = () => Promise.resolve(false);

describe("account security", () => {
  let database: Database;
  let restoreDb: () => void;
  let adminId: string;

  beforeAll(async () => {
    database = await testDatabase();
    restoreDb = useAsAppDatabase(database);
    adminId = (
      await createUser({ email: "admin@account.test", role: "admin", password: "admin-password-1" })
    ).id;
  }, 60_000);

  afterAll(async () => {
    restoreDb();
    await database.close();
  });

  async function member(name: string, password = `${name}-password-1`) {
    const row = await createUser({ email: `${name}@account.test`, role: "member", password });
    return { id: row.id, email: row.email, password };
  }

  async function signedIn(user: { id: string; email: string }, ip: string, n: number) {
    const sessionId = await createSession(user.id, { ip, userAgent: "test", deviceId: device(n) });
    return { id: user.id, email: user.email, name: null, role: "member" as const, sessionId };
  }

  it("locks the (account, address) pair, not the account", async () => {
    const victim = await member("pair");
    const attacker = { email: victim.email, ip: "198.51.100.1" };
    expect(await recordSignInFailure(attacker)).toBe(0);
    expect(await recordSignInFailure(attacker)).toBe(0);
    expect(await recordSignInFailure(attacker)).toBeGreaterThan(0);
    expect((await signInWait(attacker, never)).seconds).toBeGreaterThan(0);
    // The owner, from anywhere else, is not kept out.
    expect(await signInWait({ email: victim.email, ip: "203.0.113.9" }, never)).toEqual({
      seconds: 0,
      underAttack: false,
    });
    // And the attacker's address is not locked out of other accounts.
    expect(
      (await signInWait({ email: "other@account.test", ip: attacker.ip }, never)).seconds,
    ).toBe(0);
  });

  it("an account under attack lets known devices and addresses in, asks new ones to wait, and is listed", async () => {
    const victim = await member("attacked");
    const home = "203.0.113.20";
    await signedIn(victim, home, 1);
    for (let i = 0; i < 6; i += 1) {
      await recordSignInFailure({ email: victim.email, ip: `198.51.100.${10 + (i % 3)}` });
    }
    const stranger = { email: victim.email, ip: "192.0.2.7" };
    const known = () => isKnownSignIn(victim.email, stranger.ip, null);
    expect(await signInWait(stranger, known)).toMatchObject({ underAttack: true });
    expect((await signInWait(stranger, known)).seconds).toBeGreaterThan(0);
    // The device that signed in before, from a new address; any device from home.
    const laptop = () => isKnownSignIn(victim.email, stranger.ip, device(1));
    expect((await signInWait(stranger, laptop)).seconds).toBe(0);
    const atHome = { email: victim.email, ip: home };
    expect((await signInWait(atHome, () => isKnownSignIn(victim.email, home, null))).seconds).toBe(
      0,
    );
    expect(await signInAlerts()).toContainEqual(
      expect.objectContaining({ email: victim.email, failures: 6, restricted: true }),
    );
  });

  it("a success clears its own pair only", async () => {
    const victim = await member("success");
    const ip = "198.51.100.30";
    for (let i = 0; i < 2; i += 1) await recordSignInFailure({ email: victim.email, ip });
    await recordSignInSuccess({ email: victim.email, ip });
    expect(await recordSignInFailure({ email: victim.email, ip })).toBe(0);
  });

  it("changing the password needs the current one and ends every other session", async () => {
    const user = await member("change");
    const here = await signedIn(user, "203.0.113.40", 2);
    const there = await signedIn(user, "203.0.113.41", 3);

    await expect(
      changeOwnPassword(
        here,
        { currentPassword: "wrong-password", newPassword: "brand-new-password" },
        "203.0.113.40",
      ),
    ).rejects.toMatchObject({ code: "unprocessable" });
    await expect(
      changeOwnPassword(
        here,
        { currentPassword: user.password, newPassword: user.password },
        "203.0.113.40",
      ),
    ).rejects.toMatchObject({ code: "unprocessable", message: /^newPassword: / });

    const result = await changeOwnPassword(
      here,
      { currentPassword: user.password, newPassword: "brand-new-password" },
      "203.0.113.40",
    );
    expect(result).toEqual({ endedSessions: 1 });
    const row = await findUserById(user.id);
    expect(await verifyPassword(row!.passwordHash, "brand-new-password")).toBe(true);
    expect(await verifyPassword(row!.passwordHash, user.password)).toBe(false);
    expect(isLive(await findSession(here.sessionId), user.id)).toBe(true);
    expect(isLive(await findSession(there.sessionId), user.id)).toBe(false);
    expect((await listSessions(user.id)).map((s) => s.id)).toEqual([here.sessionId]);
  });

  it("wrong current passwords count against the sign-in limits", async () => {
    const user = await member("guess");
    const session = await signedIn(user, "203.0.113.50", 4);
    for (let i = 0; i < 3; i += 1) {
      await expect(
        changeOwnPassword(
          session,
          { currentPassword: `guess-${i}`, newPassword: "brand-new-password" },
          "203.0.113.50",
        ),
      ).rejects.toMatchObject({ code: "unprocessable" });
    }
    await expect(
      changeOwnPassword(
        session,
        { currentPassword: user.password, newPassword: "brand-new-password" },
        "203.0.113.50",
      ),
    ).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("sign out one session, or everywhere", async () => {
    const user = await member("everywhere");
    const a = await signedIn(user, "203.0.113.60", 5);
    const b = await signedIn(user, "203.0.113.61", 6);
    const other = await member("someone-else");
    const theirs = await signedIn(other, "203.0.113.62", 7);
    // Another member's session is not yours to end.
    await expect(endOwnSession(a, theirs.sessionId)).rejects.toMatchObject({ code: "not_found" });
    await endOwnSession(a, b.sessionId);
    await expect(endOwnSession(a, b.sessionId)).rejects.toMatchObject({ code: "not_found" });
    expect(isLive(await findSession(theirs.sessionId), other.id)).toBe(true);
    await signedIn(user, "203.0.113.63", 8);
    expect(await endAllSessions(a)).toBe(2);
    expect(await listSessions(user.id)).toEqual([]);
  });

  it("disabling a member ends their sessions for good", async () => {
    const user = await member("disabled");
    const s = await signedIn(user, "203.0.113.70", 9);
    await updateUser(user.id, { disabled: true }, adminId);
    await updateUser(user.id, { disabled: false }, adminId);
    expect(isLive(await findSession(s.sessionId), user.id)).toBe(false);
  });

  it("a reset link works once, ends every session, and only its newest copy works", async () => {
    const user = await member("reset");
    const s = await signedIn(user, "203.0.113.80", 10);
    const first = await createResetLink(user.id, adminId);
    const second = await createResetLink(user.id, adminId);
    const token = (link: { url: string }) => new URL(link.url).hash.replace(/^#token=/, "");
    expect(first.url).toMatch(/\/reset-password#token=[A-Za-z0-9_-]{43}$/);
    // Only the token's hash is stored.
    const rows = await database.db
      .select()
      .from(passwordResets)
      .where(eq(passwordResets.userId, user.id));
    expect(rows.map((r) => r.tokenHash)).not.toContain(token(second));

    await expect(redeemResetLink(token(first), "reset-password-12")).rejects.toMatchObject({
      code: "bad_request",
      message: /already used|replaced/,
    });
    await redeemResetLink(token(second), "reset-password-12");
    const row = await findUserById(user.id);
    expect(await verifyPassword(row!.passwordHash, "reset-password-12")).toBe(true);
    expect(isLive(await findSession(s.sessionId), user.id)).toBe(false);
    await expect(redeemResetLink(token(second), "reset-password-13")).rejects.toMatchObject({
      code: "bad_request",
    });
    await expect(redeemResetLink("A".repeat(43), "reset-password-13")).rejects.toMatchObject({
      code: "bad_request",
      message: /not valid/,
    });
  });

  it("an expired reset link, or one for a disabled account, does nothing", async () => {
    const user = await member("expired");
    const link = await createResetLink(user.id, adminId);
    const token = new URL(link.url).hash.replace(/^#token=/, "");
    await database.db
      .update(passwordResets)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(passwordResets.userId, user.id));
    await expect(redeemResetLink(token, "reset-password-12")).rejects.toMatchObject({
      message: /expired/,
    });
    const row = await findUserById(user.id);
    expect(await verifyPassword(row!.passwordHash, user.password)).toBe(true);

    await updateUser(user.id, { disabled: true }, adminId);
    await expect(createResetLink(user.id, adminId)).rejects.toMatchObject({ code: "conflict" });
  });
});

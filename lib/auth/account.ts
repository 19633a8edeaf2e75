import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { passwordResets, users } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { deviceLabel, getStreamRegistry } from "@/lib/streams";
import type { AccountSession, ResetLink } from "@/lib/contract/types";
import { verifyPassword } from "./password";
import { endSession, endUserSessions, listSessions } from "./sessions";
import { recordSignInFailure, recordSignInSuccess, signInWait } from "./throttle";
import { findUserById, setPassword } from "./users";
import type { SessionUser } from "./with-session";

/** The signed-in user's live sessions, this one marked `current`. */
export async function accountSessions(user: SessionUser): Promise<AccountSession[]> {
  const rows = await listSessions(user.id);
  return rows.map((r) => ({
    id: r.id,
    current: r.id === user.sessionId,
    device: deviceLabel(r.userAgent),
    createdAt: r.createdAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    ip: r.ip,
    userAgent: r.userAgent,
  }));
}

/** Ends one of the user's own sessions; 404 for another's, an ended or an unknown one. */
export async function endOwnSession(user: SessionUser, id: string): Promise<void> {
  if (!(await endSession(id, "ended", user.id))) {
    throw new AppError("not_found", "No such session (it may have ended already).");
  }
}

/** "Sign out everywhere": every session of the user, this one included, and their streams. */
export async function endAllSessions(user: SessionUser): Promise<number> {
  const ended = await endUserSessions(user.id, "signed_out_everywhere");
  await getStreamRegistry().endAll(user.id);
  return ended;
}

/**
 * Changes the signed-in user's password: the current one is required, and a wrong one
 * counts against the sign-in limits of this account and address (a stolen session
 * must not become a way to guess the password at leisure). Every other session ends,
 * and the account's streams.
 */
export async function changeOwnPassword(
  user: SessionUser,
  input: { currentPassword: string; newPassword: string },
  ip: string,
): Promise<{ endedSessions: number }> {
  // Checked first: it needs no password check, so it counts no failure.
  if (input.newPassword === input.currentPassword) {
    throw new AppError("unprocessable", "newPassword: choose a password you do not use now.");
  }
  const attempt = { email: user.email, ip };
  const wait = await signInWait(attempt, () => Promise.resolve(true));
  if (wait.seconds > 0) {
    throw new AppError("rate_limited", "Too many wrong passwords. Try again later.", {
      "retry-after": String(wait.seconds),
    });
  }
  const row = await findUserById(user.id);
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await recordSignInFailure(attempt);
    throw new AppError("unprocessable", "currentPassword: that is not your current password.");
  }
  await recordSignInSuccess(attempt);
  await setPassword(user.id, input.newPassword);
  const endedSessions = await endUserSessions(user.id, "password_changed", user.sessionId);
  // The streams of the ended sessions; this browser's starts again at its next renewal.
  await getStreamRegistry().endAll(user.id);
  return { endedSessions };
}

function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * An admin's one-time reset link for a member who forgot their password. The token is
 * 256 random bits, shown once in this answer and stored only as its SHA-256; it sits in
 * the link's fragment, which browsers never send to a server (no access log, no Referer
 * holds it). A new link replaces the user's earlier unused ones.
 */
export async function createResetLink(userId: string, adminId: string): Promise<ResetLink> {
  const user = await findUserById(userId);
  if (!user) throw new AppError("not_found", "No such user.");
  if (user.disabled) throw new AppError("conflict", "Enable this account before resetting it.");
  const token = randomBytes(32).toString("base64url");
  const ttl = env().PASSWORD_RESET_TTL_SECONDS;
  const db = await getDb();
  const expiresAt = await db.transaction(async (tx) => {
    await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
    const [row] = await tx
      .insert(passwordResets)
      .values({
        userId,
        tokenHash: tokenHash(token),
        createdBy: adminId,
        expiresAt: sql`now() + make_interval(secs => ${ttl})`,
      })
      .returning({ expiresAt: passwordResets.expiresAt });
    return row!.expiresAt;
  });
  console.log(
    `[auth] password reset link made for ${user.email} (expires ${expiresAt.toISOString()})`,
  );
  return {
    url: `${env().publicOrigin}/reset-password#token=${token}`,
    expiresAt: expiresAt.toISOString(),
  };
}

/**
 * Sets a new password with a reset link's token: once, before it expires, for an
 * enabled account. Every session of the account ends. The token is claimed in the same
 * statement that checks it, so two uses at once cannot both succeed.
 */
export async function redeemResetLink(token: string, password: string): Promise<void> {
  const db = await getDb();
  const [claimed] = await db
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(passwordResets.tokenHash, tokenHash(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: passwordResets.userId });
  if (!claimed) throw new AppError("bad_request", await whyNot(token));
  const [user] = await db.select().from(users).where(eq(users.id, claimed.userId));
  if (!user || user.disabled) throw new AppError("bad_request", "This account is disabled.");
  await setPassword(user.id, password);
  await endUserSessions(user.id, "password_reset");
  await getStreamRegistry().endAll(user.id);
  console.log(`[auth] password reset by link for ${user.email}`);
}

async function whyNot(token: string): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(passwordResets)
    .where(eq(passwordResets.tokenHash, tokenHash(token)));
  if (!row) return "This reset link is not valid. Ask an admin for a new one.";
  if (row.usedAt)
    return "This reset link was already used (or replaced by a newer one). Ask an admin for a new one.";
  return "This reset link has expired. Ask an admin for a new one.";
}

import "server-only";
import { randomBytes } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { hashPassword } from "./password";
import { endUserSessions } from "./sessions";
import type { AdminUser, Role } from "@/lib/contract/types";

export type UserRow = typeof users.$inferSelect;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(email: string): Promise<UserRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  return row;
}

export async function findUserById(id: string): Promise<UserRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

// Every member and admin call re-reads its user, so that a disabled account or a changed
// role takes effect at the next call, not when the session JWT expires. Cookie renewals
// make this the API's most frequent query, and on PGlite it runs on the request thread
// (about 1 ms, more than the rest of an issuance), so rows are kept for
// SESSION_USER_CACHE_SECONDS. `forgetSessionUser` drops a row when this server changes
// it; a lookup that was under way across such a change does not store its result.
const sessionUsers = new Map<string, { row: UserRow | undefined; until: number }>();
const SESSION_USERS_MAX = 10_000;
let sessionUsersGeneration = 0;

/** `findUserById` through the session cache (see above). */
export async function findSessionUser(id: string): Promise<UserRow | undefined> {
  const ttlMs = env().SESSION_USER_CACHE_SECONDS * 1000;
  const now = Date.now();
  const hit = sessionUsers.get(id);
  if (hit && hit.until > now) return hit.row;
  const generation = sessionUsersGeneration;
  const row = await findUserById(id);
  if (ttlMs > 0 && generation === sessionUsersGeneration) {
    sessionUsers.delete(id);
    if (sessionUsers.size >= SESSION_USERS_MAX)
      sessionUsers.delete(sessionUsers.keys().next().value!);
    sessionUsers.set(id, { row, until: now + ttlMs });
  }
  return row;
}

/** Makes the next `findSessionUser(id)` read the database. */
export function forgetSessionUser(id: string): void {
  sessionUsersGeneration += 1;
  sessionUsers.delete(id);
}

/** A readable random password (about 120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}

/** The admin view of an account; `groupIds` are filled in by lib/groups. */
export function toAdminUser(row: UserRow, groupIds: string[] = []): AdminUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled,
    groupIds,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listUsers(): Promise<AdminUser[]> {
  const db = await getDb();
  const rows = await db.select().from(users).orderBy(asc(users.createdAt));
  return rows.map((row) => toAdminUser(row));
}

/** Creates a user; 409 when the email is taken. */
export async function createUser(input: {
  email: string;
  name?: string | null;
  role: Role;
  password: string;
}): Promise<UserRow> {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({
      email: normalizeEmail(input.email),
      name: input.name ?? null,
      role: input.role,
      passwordHash,
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!row) throw new AppError("conflict", "A user with this email already exists.");
  return row;
}

export async function updateUser(
  id: string,
  patch: { role?: Role; disabled?: boolean; name?: string | null },
  actingUserId: string,
): Promise<UserRow> {
  if (id === actingUserId && (patch.disabled === true || patch.role === "member")) {
    // An admin locking themselves out leaves nobody to undo it.
    throw new AppError("conflict", "You cannot disable yourself or remove your own admin role.");
  }
  const db = await getDb();
  const [row] = await db
    .update(users)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning();
  forgetSessionUser(id);
  if (!row) throw new AppError("not_found", "No such user.");
  // A disabled account's sessions end, so that enabling it again does not bring them back.
  if (patch.disabled === true) await endUserSessions(id, "disabled");
  return row;
}

/** Sets a user's password (already checked against the policy) and forgets its cached row. */
export async function setPassword(id: string, password: string): Promise<void> {
  const db = await getDb();
  const passwordHash = await hashPassword(password);
  await db
    .update(users)
    .set({ passwordHash, updatedAt: sql`now()` })
    .where(eq(users.id, id));
  forgetSessionUser(id);
}

/**
 * First start: makes sure an admin exists. Uses ADMIN_EMAIL/ADMIN_PASSWORD when set,
 * otherwise generates a password and returns it so the caller prints it once.
 */
export async function ensureFirstAdmin(config: {
  email?: string;
  password?: string;
}): Promise<{ email: string; password?: string; created: boolean }> {
  const db = await getDb();
  const [existing] = await db.select().from(users).where(eq(users.role, "admin")).limit(1);
  if (existing) return { email: existing.email, created: false };
  const email = normalizeEmail(config.email ?? "admin@reelgate.local");
  const password = config.password ?? generatePassword();
  await db
    .insert(users)
    .values({ email, role: "admin", passwordHash: await hashPassword(password) })
    .onConflictDoUpdate({ target: users.email, set: { role: "admin", disabled: false } });
  return { email, password: config.password ? undefined : password, created: true };
}

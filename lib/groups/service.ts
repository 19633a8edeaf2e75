import "server-only";
import { asc, count, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { groupMembers, groups, users, videoGroups, videos } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/storage/bucket-keys";
import { remembered } from "@/lib/access/memo";
import type { AdminGroup } from "@/lib/contract/types";

type GroupRow = typeof groups.$inferSelect;

function toAdminGroup(row: GroupRow, members: number, videoCount: number): AdminGroup {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    memberCount: members,
    videoCount,
    createdAt: row.createdAt.toISOString(),
  };
}

async function memberCounts(): Promise<Map<string, number>> {
  const db = await getDb();
  const rows = await db
    .select({ id: groupMembers.groupId, n: count() })
    .from(groupMembers)
    .groupBy(groupMembers.groupId);
  return new Map(rows.map((r) => [r.id, r.n]));
}

async function videoCounts(): Promise<Map<string, number>> {
  const db = await getDb();
  const rows = await db
    .select({ id: videoGroups.groupId, n: count() })
    .from(videoGroups)
    .groupBy(videoGroups.groupId);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** Every group, by name, with how many members and videos it has. */
export async function listGroups(): Promise<AdminGroup[]> {
  const db = await getDb();
  const [rows, members, videosOf] = await Promise.all([
    db
      .select()
      .from(groups)
      .orderBy(asc(sql`lower(${groups.name})`)),
    memberCounts(),
    videoCounts(),
  ]);
  return rows.map((r) => toAdminGroup(r, members.get(r.id) ?? 0, videosOf.get(r.id) ?? 0));
}

export async function getGroup(id: string): Promise<AdminGroup> {
  const all = await listGroups();
  const found = all.find((g) => g.id === id);
  if (!found) throw new AppError("not_found", "No such group.");
  return found;
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown; cause?: { code?: unknown } }).code;
  const causeCode = (err as { cause?: { code?: unknown } }).cause?.code;
  return code === "23505" || causeCode === "23505";
}

const NAME_TAKEN = "A group with this name exists already.";

export async function createGroup(input: {
  name: string;
  description?: string;
}): Promise<AdminGroup> {
  const db = await getDb();
  const id = newId();
  // The id is random, so the only conflict there can be is the name's unique index.
  const [row] = await db
    .insert(groups)
    .values({ id, name: input.name, description: input.description ?? "" })
    .onConflictDoNothing()
    .returning({ id: groups.id });
  if (!row) throw new AppError("conflict", NAME_TAKEN);
  return getGroup(id);
}

export async function updateGroup(
  id: string,
  patch: { name?: string; description?: string },
): Promise<AdminGroup> {
  const db = await getDb();
  let updated: { id: string }[];
  try {
    updated = await db
      .update(groups)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(groups.id, id))
      .returning({ id: groups.id });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", NAME_TAKEN);
    throw err;
  }
  if (updated.length === 0) throw new AppError("not_found", "No such group.");
  return getGroup(id);
}

/**
 * Deletes a group and its memberships. Refused (409) while videos still name it: once a
 * video's last group went, the video would be open to EVERY member, so taking a group off
 * its videos is a decision the admin makes on each video.
 */
export async function deleteGroup(id: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(groups).where(eq(groups.id, id)).for("update");
    if (!row) throw new AppError("not_found", "No such group.");
    const [used] = await tx
      .select({ n: count() })
      .from(videoGroups)
      .where(eq(videoGroups.groupId, id));
    const n = used?.n ?? 0;
    if (n > 0) {
      throw new AppError(
        "conflict",
        `“${row.name}” is given to ${n} video${n === 1 ? "" : "s"}; take it off ${n === 1 ? "it" : "them"} first.`,
      );
    }
    await tx.delete(groups).where(eq(groups.id, id));
  });
}

/** Refuses (422) ids that name no group. */
export async function assertGroupsExist(ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const db = await getDb();
  const found = await db.select({ id: groups.id }).from(groups).where(inArray(groups.id, ids));
  const known = new Set(found.map((r) => r.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new AppError("unprocessable", `groupIds: no group ${unknown.join(", ")}.`);
  }
}

/** Replaces a member's groups. */
export async function setUserGroups(userId: string, groupIds: readonly string[]): Promise<void> {
  await assertGroupsExist(groupIds);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!user) throw new AppError("not_found", "No such user.");
    await tx.delete(groupMembers).where(eq(groupMembers.userId, userId));
    if (groupIds.length > 0) {
      await tx.insert(groupMembers).values(groupIds.map((groupId) => ({ groupId, userId })));
    }
  });
}

/** Replaces a video's groups (an empty set opens it to every member). */
export async function setVideoGroups(videoId: string, groupIds: readonly string[]): Promise<void> {
  await assertGroupsExist(groupIds);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [video] = await tx.select({ id: videos.id }).from(videos).where(eq(videos.id, videoId));
    if (!video) throw new AppError("not_found", "No such video.");
    await tx.delete(videoGroups).where(eq(videoGroups.videoId, videoId));
    if (groupIds.length > 0) {
      await tx.insert(videoGroups).values(groupIds.map((groupId) => ({ videoId, groupId })));
    }
  });
}

/** Group ids per user, for the users given (or every user). */
export async function groupIdsByUser(userIds?: readonly string[]): Promise<Map<string, string[]>> {
  const db = await getDb();
  const rows = await db
    .select({ userId: groupMembers.userId, groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(userIds ? inArray(groupMembers.userId, [...userIds]) : undefined);
  return collect(rows.map((r) => [r.userId, r.groupId]));
}

/** Group ids per video, for the videos given. */
export async function groupIdsByVideo(videoIds: readonly string[]): Promise<Map<string, string[]>> {
  if (videoIds.length === 0) return new Map();
  const db = await getDb();
  const rows = await db
    .select({ videoId: videoGroups.videoId, groupId: videoGroups.groupId })
    .from(videoGroups)
    .where(inArray(videoGroups.videoId, [...videoIds]));
  return collect(rows.map((r) => [r.videoId, r.groupId]));
}

/** The groups one member is in (through the access memo, lib/access/memo.ts). */
export async function groupIdsOf(userId: string): Promise<string[]> {
  const ids = await remembered(
    `groups:${userId}`,
    async () => (await groupIdsByUser([userId])).get(userId) ?? [],
  );
  return [...ids];
}

function collect(pairs: [string, string][]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** The accounts with their groups filled in. */
export async function withGroupIds<T extends { id: string; groupIds: string[] }>(
  accounts: T[],
): Promise<T[]> {
  const byUser = await groupIdsByUser(accounts.map((a) => a.id));
  return accounts.map((a) => ({ ...a, groupIds: byUser.get(a.id) ?? [] }));
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { groupMembers, groups, videoGroups, videos } from "@/lib/db/schema";
import { openDatabase, type Database } from "@/lib/db/client";
import { testDatabase, useAsAppDatabase } from "./helpers/db";

// The access memo (lib/access/memo.ts) on the real database: a decision is kept, and
// every change the access rule rests on, made by this server or by another connection
// (another API server, the worker), empties it at commit. Proven by changing a row with
// the triggers switched off: the memo still answers from before, until a notice comes.

const { findWatchable } = await import("@/lib/playback/find-watchable");
const { groupIdsOf, setUserGroups, deleteGroup } = await import("@/lib/groups");
const { createUser } = await import("@/lib/auth/users");

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe(`access memo (${onPostgres ? "postgres" : "pglite"})`, () => {
  let database: Database & { label: string };
  let restoreDb: () => void;
  /** Another server's connection: the app database itself on PGlite (one process). */
  let other: Database;
  let member: { id: string; role: "member" };

  const watch = (videoId: string) =>
    findWatchable(member, videoId).then(
      () => "watchable",
      (err: { code?: string }) => err.code ?? "error",
    );
  /** Changes `videos` without the triggers, so no notice is sent. */
  const quietly = async (change: () => Promise<unknown>) => {
    await database.db.execute(sql`alter table videos disable trigger videos_access_changed`);
    try {
      await change();
    } finally {
      await database.db.execute(sql`alter table videos enable trigger videos_access_changed`);
    }
  };

  beforeAll(async () => {
    database = await testDatabase();
    restoreDb = useAsAppDatabase(database);
    other = database;
    if (onPostgres) {
      const [current] = await database.db
        .select({ name: sql<string>`current_database()` })
        .from(sql`(select 1) as one`);
      const target = new URL(process.env.TEST_DATABASE_URL!);
      target.pathname = `/${current!.name}`;
      other = await openDatabase({ url: target.toString(), poolMax: 2 });
    }
    await database.db.insert(videos).values([
      { id: "memovideo1", title: "One", status: "ready", published: true, playlistKey: "p" },
      { id: "memovideo2", title: "Two", status: "ready", published: true, playlistKey: "p" },
      { id: "memovideo3", title: "Three", status: "ready", published: true, playlistKey: "p" },
    ]);
    const user = await createUser({
      email: "memo@member.test",
      role: "member",
      password: "member-password-1",
    });
    member = { id: user.id, role: "member" };
  }, 60_000);

  afterAll(async () => {
    restoreDb();
    if (other !== database) await other.close();
    await database.close();
  });

  it("keeps a decision until a notice, and drops it at the notice", async () => {
    expect(await watch("memovideo1")).toBe("watchable");
    await quietly(() =>
      database.db.update(videos).set({ published: false }).where(eq(videos.id, "memovideo1")),
    );
    // No notice: the memo still answers from before (it did not ask the database).
    expect(await watch("memovideo1")).toBe("watchable");
    await other.db.execute(sql`select pg_notify('reelgate_access', 'test')`);
    await expect.poll(() => watch("memovideo1"), { timeout: 3000 }).toBe("not_found");
  });

  it("is emptied at the commit of an unpublish made by another connection", async () => {
    expect(await watch("memovideo2")).toBe("watchable");
    await other.db.update(videos).set({ published: false }).where(eq(videos.id, "memovideo2"));
    await expect.poll(() => watch("memovideo2"), { timeout: 3000 }).toBe("not_found");
    await other.db.update(videos).set({ published: true }).where(eq(videos.id, "memovideo2"));
    await expect.poll(() => watch("memovideo2"), { timeout: 3000 }).toBe("watchable");
  });

  it("follows a video given to a group, group membership, and a group's deletion", async () => {
    await database.db.insert(groups).values({ id: "memogroup01", name: "Memo staff" });
    expect(await watch("memovideo3")).toBe("watchable");
    expect(await groupIdsOf(member.id)).toEqual([]);
    await other.db.insert(videoGroups).values({ videoId: "memovideo3", groupId: "memogroup01" });
    await expect.poll(() => watch("memovideo3"), { timeout: 3000 }).toBe("not_found");
    await setUserGroups(member.id, ["memogroup01"]);
    await expect.poll(() => watch("memovideo3"), { timeout: 3000 }).toBe("watchable");
    expect(await groupIdsOf(member.id)).toEqual(["memogroup01"]);
    // Deleting the group cascades to its members (and is refused while videos use it).
    await other.db.delete(videoGroups).where(eq(videoGroups.groupId, "memogroup01"));
    await deleteGroup("memogroup01");
    expect(
      (await database.db.select().from(groupMembers).where(eq(groupMembers.userId, member.id)))
        .length,
    ).toBe(0);
    await expect.poll(() => groupIdsOf(member.id), { timeout: 3000 }).toEqual([]);
  });

  it.skipIf(!onPostgres)(
    "keeps nothing while its listening connection is lost (Postgres only: PGlite has one in-process connection)",
    async () => {
      await database.db.update(videos).set({ published: true }).where(eq(videos.id, "memovideo1"));
      await expect.poll(() => watch("memovideo1"), { timeout: 3000 }).toBe("watchable");
      await other.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen %' and datname = current_database()`,
      );
      await quietly(() =>
        database.db.update(videos).set({ published: false }).where(eq(videos.id, "memovideo1")),
      );
      // The memo knew it could miss notices, so this is read from the database.
      await expect.poll(() => watch("memovideo1"), { timeout: 3000 }).toBe("not_found");
    },
  );
});

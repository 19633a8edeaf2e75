import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { users } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { testDatabase, useAsAppDatabase } from "./helpers/db";

// The session-user cache (lib/auth/users.ts) on the real database: rows are kept
// SESSION_USER_CACHE_SECONDS, but a change made through this server is seen at once.

process.env.SESSION_USER_CACHE_SECONDS = "60";
const { createUser, findSessionUser, forgetSessionUser, updateUser } =
  await import("@/lib/auth/users");

describe("findSessionUser", () => {
  let database: Database;
  let restoreDb: () => void;
  let adminId: string;

  beforeAll(async () => {
    database = await testDatabase();
    restoreDb = useAsAppDatabase(database);
    adminId = (
      await createUser({ email: "admin@cache.test", role: "admin", password: "admin-password-1" })
    ).id;
  }, 60_000);

  afterAll(async () => {
    restoreDb();
    await database.close();
  });

  it("answers from its copy until the row is changed through this server", async () => {
    const member = await createUser({
      email: "member@cache.test",
      role: "member",
      password: "member-password-1",
    });
    expect((await findSessionUser(member.id))?.disabled).toBe(false);

    // A change behind this server's back (another API server) is not seen yet...
    await database.db.update(users).set({ name: "Elsewhere" }).where(eq(users.id, member.id));
    expect((await findSessionUser(member.id))?.name).toBeNull();

    // ...one made here is, at once.
    await updateUser(member.id, { disabled: true }, adminId);
    const after = await findSessionUser(member.id);
    expect(after?.disabled).toBe(true);
    expect(after?.name).toBe("Elsewhere");
  });

  it("reads the database again after forgetSessionUser, and for an unknown id", async () => {
    const member = await createUser({
      email: "role@cache.test",
      role: "member",
      password: "member-password-2",
    });
    expect((await findSessionUser(member.id))?.role).toBe("member");
    await database.db.update(users).set({ role: "admin" }).where(eq(users.id, member.id));
    forgetSessionUser(member.id);
    expect((await findSessionUser(member.id))?.role).toBe("admin");
    expect(await findSessionUser("00000000-0000-0000-0000-000000000000")).toBeUndefined();
  });

  it("a lookup racing an update leaves the updated row", async () => {
    const member = await createUser({
      email: "race@cache.test",
      role: "member",
      password: "member-password-3",
    });
    // Whichever of the two finishes first, the next lookup sees the update.
    const lookup = findSessionUser(member.id);
    const update = updateUser(member.id, { disabled: true }, adminId);
    await Promise.all([lookup, update]);
    expect((await findSessionUser(member.id))?.disabled).toBe(true);
  });
});

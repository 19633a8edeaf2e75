import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { openDatabase } from "@/lib/db/client";
import { users, videos } from "@/lib/db/schema";
import { testDatabase } from "./helpers/db";

describe("database", () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it("enforces a unique email and the role check", async () => {
    const { db } = database;
    await db.insert(users).values({ email: "a@example.com", role: "member" });
    await expect(db.insert(users).values({ email: "a@example.com" })).rejects.toThrow();
    await expect(
      db.insert(users).values({ email: "b@example.com", role: "owner" as "admin" }),
    ).rejects.toThrow();
  });

  it("migrating twice is a no-op", async () => {
    await database.migrate();
    const rows = await database.db.select().from(users).where(eq(users.email, "a@example.com"));
    expect(rows).toHaveLength(1);
  });
});

describe("PGlite on disk", () => {
  it("keeps data across a close and reopen", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "reelgate-db-"));
    try {
      const first = await openDatabase({ dataDir: dir });
      await first.migrate();
      await first.db.insert(videos).values({ id: "v1", title: "Kept" });
      await first.close();

      const second = await openDatabase({ dataDir: dir });
      await second.migrate();
      const rows = await second.db.select().from(videos);
      await second.close();
      expect(rows.map((r) => r.title)).toEqual(["Kept"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

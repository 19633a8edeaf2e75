import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { videos } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { testDatabase, useAsAppDatabase } from "./helpers/db";

// The access rule (lib/access) as every reader applies it, on the real database: the
// catalog, the video record, progress, playback credentials and signed URLs; member
// groups; and the catalog images that follow each change (lib/catalog-images).

const dataDir = mkdtempSync(path.join(tmpdir(), "reelgate-access-"));
process.env.DATA_DIR = dataDir;
process.env.AUTH_URL = "https://videos.example.com";

const { createUser } = await import("@/lib/auth/users");
const groupsLib = await import("@/lib/groups");
const { listCatalog, getCatalogVideo, saveProgress } = await import("@/lib/videos/catalog");
const { updateVideo, deleteVideo } = await import("@/lib/videos/admin");
const { findWatchable } = await import("@/lib/playback/find-watchable");
const { issueSignedUrl } = await import("@/lib/playback/signed-url");
const { getStorage } = await import("@/lib/storage");
const { checkCatalogImages } = await import("@/lib/ops/catalog-check");
const { flushAccessLog, listAccessLog } = await import("@/lib/audit");
const { runDataMigrations } = await import("@/lib/ops/data-migrations");
const { syncAllCatalogImages } = await import("@/lib/catalog-images");

// A signed-in user as the route wrapper hands it over (sessionId: its session row, #18).
type Viewer = {
  id: string;
  email: string;
  name: null;
  role: "member" | "admin";
  sessionId: string;
};

const driver = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";

describe(`the access rule (${driver})`, () => {
  let database: Database;
  let restore: () => void;
  const viewer: Record<"admin" | "open" | "staff" | "other", Viewer> = {} as never;
  let staff: string;
  let premium: string;

  async function video(id: string, fields: Partial<typeof videos.$inferInsert> = {}) {
    await database.db.insert(videos).values({
      id,
      title: `Title ${id}`,
      status: "ready",
      published: true,
      publishedAt: new Date(),
      playlistKey: `media/videos/${id}/hls/master.m3u8`,
      posterKey: `media/videos/${id}/poster.jpg`,
      ...fields,
    });
    await getStorage().put(`media/videos/${id}/poster.jpg`, `poster of ${id}`, {
      contentType: "image/jpeg",
    });
  }

  const ids = (list: { id: string }[]) => list.map((v) => v.id).sort();
  const listed = async (who: Viewer) => ids((await listCatalog(who, "")).videos);

  beforeAll(async () => {
    database = await testDatabase();
    restore = useAsAppDatabase(database);
    for (const [key, role] of [
      ["admin", "admin"],
      ["open", "member"],
      ["staff", "member"],
      ["other", "member"],
    ] as const) {
      const row = await createUser({
        email: `${key}-${driver}@access.test`,
        role,
        password: "access-password-1",
      });
      viewer[key] = { id: row.id, email: row.email, name: null, role, sessionId: randomUUID() };
    }
    staff = (await groupsLib.createGroup({ name: "Staff" })).id;
    premium = (await groupsLib.createGroup({ name: "Premium" })).id;
    await groupsLib.setUserGroups(viewer.staff.id, [staff]);
    await groupsLib.setUserGroups(viewer.other.id, [premium]);

    await video("openVideo01");
    await video("staffVideo1");
    await video("bothVideo01");
    await video("draftVideo1", { published: false, publishedAt: null });
    await video("procVideo01", { status: "processing", published: false, playlistKey: null });
    await updateVideo("staffVideo1", { groupIds: [staff] });
    await updateVideo("bothVideo01", { groupIds: [staff, premium] });
    // Rows made behind the app's back, as before per-video access: the start-up's data
    // migration puts their images in place, and running it again changes nothing.
    expect(await runDataMigrations(() => {})).toEqual(["2026-12-catalog-images"]);
    expect(await runDataMigrations(() => {})).toEqual([]);
    await syncAllCatalogImages();
  }, 120_000);

  afterAll(async () => {
    restore();
    await database.close();
  });

  it("lists to each member only what is open to them; admins see every group", async () => {
    expect(await listed(viewer.open)).toEqual(["openVideo01"]);
    expect(await listed(viewer.staff)).toEqual(["bothVideo01", "openVideo01", "staffVideo1"]);
    expect(await listed(viewer.other)).toEqual(["bothVideo01", "openVideo01"]);
    // The catalog is the members' view: drafts stay out of it, for admins too.
    expect(await listed(viewer.admin)).toEqual(["bothVideo01", "openVideo01", "staffVideo1"]);
  });

  it("gives each member the catalog image of a folder their credential opens", async () => {
    const posters = async (who: Viewer) =>
      Object.fromEntries((await listCatalog(who, "")).videos.map((v) => [v.id, v.posterUrl]));
    expect(await posters(viewer.open)).toEqual({
      openVideo01: "/media/posters/members/openVideo01.jpg",
    });
    expect((await posters(viewer.other)).bothVideo01).toBe(
      `/media/posters/${premium}/bothVideo01.jpg`,
    );
    // Admins hold /media/*: the video's own poster.
    expect((await posters(viewer.admin)).staffVideo1).toBe("/media/videos/staffVideo1/poster.jpg");
    // The record (the watch page) names the poster in the video's folder, which its
    // playback cookies open.
    expect((await getCatalogVideo(viewer.staff, "staffVideo1")).posterUrl).toBe(
      "/media/videos/staffVideo1/poster.jpg",
    );
  });

  it("refuses the record, progress and playback of what is not open to the member", async () => {
    for (const id of ["staffVideo1", "draftVideo1", "procVideo01", "noSuchVid01"]) {
      await expect(getCatalogVideo(viewer.open, id), id).rejects.toMatchObject({ status: 404 });
      await expect(findWatchable(viewer.open, id), id).rejects.toMatchObject({ status: 404 });
      await expect(saveProgress(viewer.open, id, 5), id).rejects.toMatchObject({ status: 404 });
    }
    await expect(findWatchable(viewer.staff, "staffVideo1")).resolves.toMatchObject({
      id: "staffVideo1",
    });
    // An admin previews a draft; nothing is playable before it is ready.
    await expect(findWatchable(viewer.admin, "draftVideo1")).resolves.toBeTruthy();
    await expect(findWatchable(viewer.admin, "procVideo01")).rejects.toMatchObject({
      status: 404,
    });
  });

  it("takes access away the moment a video is unpublished or regrouped, images included", async () => {
    const storage = getStorage();
    expect(await storage.head("media/posters/members/openVideo01.jpg")).not.toBeNull();
    expect(await storage.head(`media/posters/${staff}/staffVideo1.jpg`)).not.toBeNull();
    expect(await storage.head(`media/posters/${premium}/bothVideo01.jpg`)).not.toBeNull();
    expect(await storage.head("media/posters/members/staffVideo1.jpg")).toBeNull();
    expect(await storage.head("media/posters/members/draftVideo1.jpg")).toBeNull();
    expect(await checkCatalogImages(database.db, storage)).toEqual([]);

    await updateVideo("openVideo01", { published: false });
    await expect(findWatchable(viewer.open, "openVideo01")).rejects.toMatchObject({ status: 404 });
    expect(await storage.head("media/posters/members/openVideo01.jpg")).toBeNull();

    await updateVideo("bothVideo01", { groupIds: [staff] });
    await expect(findWatchable(viewer.other, "bothVideo01")).rejects.toMatchObject({
      status: 404,
    });
    expect(await storage.head(`media/posters/${premium}/bothVideo01.jpg`)).toBeNull();
    expect(await checkCatalogImages(database.db, storage)).toEqual([]);

    // Taking a member out of the group is the same.
    await groupsLib.setUserGroups(viewer.staff.id, []);
    await expect(findWatchable(viewer.staff, "staffVideo1")).rejects.toMatchObject({
      status: 404,
    });
    await groupsLib.setUserGroups(viewer.staff.id, [staff]);
  });

  it("reports a stray or missing catalog image as the access problem it is", async () => {
    const storage = getStorage();
    await storage.put("media/posters/members/staffVideo1.jpg", "leaked", {
      contentType: "image/jpeg",
    });
    await storage.deletePrefix(`media/posters/${staff}/staffVideo1.jpg`);
    const problems = await checkCatalogImages(database.db, storage);
    expect(problems.map((p) => [p.kind, p.keys?.[0]]).sort()).toEqual([
      ["missing_catalog_image", `media/posters/${staff}/staffVideo1.jpg`],
      ["stray_catalog_image", "media/posters/members/staffVideo1.jpg"],
    ]);
    await updateVideo("staffVideo1", { groupIds: [staff] });
    expect(await checkCatalogImages(database.db, storage)).toEqual([]);
  });

  it("refuses to delete a group that videos still name, and unknown groups", async () => {
    await expect(groupsLib.deleteGroup(staff)).rejects.toMatchObject({ status: 409 });
    await expect(updateVideo("staffVideo1", { groupIds: ["noSuchGroup1"] })).rejects.toMatchObject({
      status: 422,
    });
    await expect(groupsLib.createGroup({ name: "staff" })).rejects.toMatchObject({ status: 409 });
    const empty = await groupsLib.createGroup({ name: "Empty" });
    await groupsLib.setUserGroups(viewer.other.id, [premium, empty.id]);
    await groupsLib.deleteGroup(empty.id);
    expect(await groupsLib.groupIdsOf(viewer.other.id)).toEqual([premium]);
    const listedGroups = await groupsLib.listGroups();
    expect(listedGroups.find((g) => g.id === staff)).toMatchObject({
      name: "Staff",
      memberCount: 1,
      videoCount: 2,
    });
  });

  it("signs URLs only for objects of videos the member may watch, and logs them", async () => {
    const req = new Request("https://videos.example.com/api/signed-urls", {
      headers: { "cloudfront-viewer-address": "203.0.113.7:4000", "user-agent": "test-agent" },
    });
    const ok = await issueSignedUrl(viewer.staff, req, {
      path: "/media/videos/staffVideo1/hls/master.m3u8",
    });
    expect(ok.url).toMatch(/^https:\/\/videos\.example\.com\/media\/videos\/staffVideo1\//);
    for (const p of [
      "/media/videos/staffVideo1/hls/master.m3u8",
      "/media/videos/draftVideo1/poster.jpg",
      `/media/posters/${staff}/staffVideo1.jpg`,
      "/media/other/thing.jpg",
      "/media/videos/staffVideo1",
    ]) {
      await expect(issueSignedUrl(viewer.open, req, { path: p }), p).rejects.toMatchObject({
        status: 404,
      });
    }
    await expect(
      issueSignedUrl(viewer.open, req, { path: "/media/posters/members/openVideo01.jpg" }),
    ).resolves.toBeTruthy();
    await expect(
      issueSignedUrl(viewer.admin, req, { path: "/media/videos/draftVideo1/poster.jpg" }),
    ).resolves.toBeTruthy();
    await flushAccessLog();
    const { entries } = await listAccessLog({ userId: viewer.staff.id, limit: 10 });
    expect(entries[0]).toMatchObject({
      videoId: "staffVideo1",
      kind: "url",
      address: "203.0.113.7",
      userAgent: "test-agent",
      userEmail: viewer.staff.email,
    });
  });

  it("removes a deleted video's catalog images", async () => {
    await deleteVideo("staffVideo1");
    expect(await getStorage().head(`media/posters/${staff}/staffVideo1.jpg`)).toBeNull();
    expect(await checkCatalogImages(database.db, getStorage())).toEqual([]);
  });
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

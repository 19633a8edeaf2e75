import "server-only";
import { getDb } from "@/lib/db";
import { dataMigrations } from "@/lib/db/schema";
import { syncAllCatalogImages } from "@/lib/catalog-images";

/**
 * One-off steps on the data (the bucket, usually) that a release needs once, after the
 * schema migrations. Each runs at API server start until it has finished once; each is
 * idempotent, so two servers starting together, or a step cut off half-way and run
 * again, do no harm.
 */
const STEPS: { name: string; run: () => Promise<string> }[] = [
  {
    // Per-video access: catalog images move out of the videos' folders into
    // media/posters/<audience>/, where the catalog's own credential reaches them.
    name: "2026-12-catalog-images",
    run: async () => `${await syncAllCatalogImages()} video(s) synced`,
  },
];

/** Runs the steps not yet done; returns the names run. */
export async function runDataMigrations(log: (line: string) => void): Promise<string[]> {
  const db = await getDb();
  const done = new Set((await db.select().from(dataMigrations)).map((r) => r.name));
  const ran: string[] = [];
  for (const step of STEPS) {
    if (done.has(step.name)) continue;
    log(`data migration ${step.name}: ${await step.run()}`);
    await db.insert(dataMigrations).values({ name: step.name }).onConflictDoNothing();
    ran.push(step.name);
  }
  return ran;
}

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

// DATA_DIR/pids.json names the preview's processes by role: `edge` is the `npm start`
// supervisor, which also serves the edge, and `api` the API server it runs (null while
// it restarts). Operators, the fault tests (kill -9 of the API server alone), the viewers
// bench (their memory) and `npm run check` (which must not open a PGlite database the
// API server owns) read it. Whoever runs `npm start` only knows npm's pid: npm, its shell
// and tsx's launcher each sit between, so walking the process tree down from there would
// depend on how each one spawns.

/** The preview's processes by role. */
export interface PreviewPids {
  edge: number;
  api: number | null;
}

const file = (dataDir: string) => path.join(dataDir, "pids.json");

/** Written by scripts/start.ts at start and at every API server (re)start or exit. */
export function writePreviewPids(dataDir: string, pids: PreviewPids): void {
  writeFileSync(file(dataDir), JSON.stringify(pids) + "\n");
}

/** Removed by scripts/start.ts once everything it ran has stopped. */
export function removePreviewPids(dataDir: string): void {
  rmSync(file(dataDir), { force: true });
}

/** The pids of the preview running on `dataDir`, or null when none is (or it wrote none). */
export function readPreviewPids(dataDir: string): PreviewPids | null {
  try {
    return JSON.parse(readFileSync(file(dataDir), "utf8")) as PreviewPids;
  } catch {
    return null;
  }
}

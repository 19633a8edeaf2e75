// What the consistency check (consistency.ts and catalog-check.ts) reports: each
// problem's kind is explained at the top of consistency.ts.

export type ProblemKind =
  | "missing_media"
  | "orphan_media"
  | "missing_original"
  | "orphan_original"
  | "lost_upload"
  | "stale_job"
  | "stuck_video"
  | "legacy_ladder"
  | "missing_catalog_image"
  | "stray_catalog_image";

export interface Problem {
  kind: ProblemKind;
  message: string;
  videoId?: string;
  jobId?: string;
  uploadId?: string;
  /** The objects concerned, at most MAX_KEYS of them (`message` gives the count). */
  keys?: string[];
}

export interface ConsistencyReport {
  checkedAt: string;
  checked: {
    videos: number;
    uploads: number;
    activeJobs: number;
    mediaObjects: number;
    originals: number;
  };
  problems: Problem[];
}

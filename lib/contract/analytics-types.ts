// The JSON of the playback analytics API: what the player sends (POST /api/beacons) and
// what the admin pages read (GET /api/admin/analytics...). Shared by both sides.

/** Length of a view's coverage: one bit per hundredth of the video. */
export const COVERAGE_BINS = 100;

/**
 * One playback beacon: the view's totals so far (each beacon repeats and extends the
 * last, so a lost one costs nothing). POST /api/beacons, at most BEACON_MAX_BYTES.
 */
export interface PlaybackBeacon {
  /** A random UUID the player made when the member first asked to play. */
  viewId: string;
  videoId: string;
  /** 1, 2, 3... per view: the newest beacon wins. */
  seq: number;
  /** Play request to first frame (ms); absent until the first frame. */
  startupMs?: number;
  watchSeconds: number;
  furthestSeconds: number;
  rebufferCount: number;
  rebufferSeconds: number;
  errorCount: number;
  /** The last error, as a short code such as `media-3`. */
  lastError?: string;
  /** Seconds played per rendition, by its height: `{"720p": 12.5}`. */
  renditions: Record<string, number>;
  /** COVERAGE_BINS characters of 0 and 1: the parts of the video played. */
  coverage: string;
}

/** The largest beacon body the API takes (413 past it). */
export const BEACON_MAX_BYTES = 16 * 1024;

export interface DailyFigures {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  views: number;
  uniqueMembers: number;
  watchSeconds: number;
}

export interface StartupFigures {
  /** Median startup time of the views that reached a first frame (ms), or null. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Mux's startup score, the mean of 8 / (8 + seconds) over those views (0..1), or null. */
  score: number | null;
}

/** One video's row in GET /api/admin/analytics. */
export interface VideoAnalyticsRow {
  videoId: string;
  title: string;
  views: number;
  uniqueMembers: number;
  watchSeconds: number;
  startup: StartupFigures;
  rebufferRatio: number;
  errorRate: number;
}

/** GET /api/admin/analytics?days=N */
export interface AnalyticsSummary {
  from: string;
  to: string;
  totals: { views: number; uniqueMembers: number; watchSeconds: number };
  daily: DailyFigures[];
  videos: VideoAnalyticsRow[];
}

/** GET /api/admin/analytics/videos/{id}?days=N */
export interface VideoAnalytics {
  video: { id: string; title: string; durationSeconds: number | null };
  from: string;
  to: string;
  views: number;
  uniqueMembers: number;
  watchSeconds: number;
  /** Mean over views of watch seconds / the video's duration, each capped at 1. */
  averageWatchShare: number;
  /** COVERAGE_BINS shares (0..1): of the views, how many played each hundredth. */
  retention: number[];
  startup: StartupFigures;
  /** Rebuffering seconds / (watch seconds + rebuffering seconds). */
  rebufferRatio: number;
  rebufferCount: number;
  /** Share of views with at least one playback error. */
  errorRate: number;
  /** Seconds per rendition, highest first, with their share of all seconds. */
  qualityMix: { rendition: string; seconds: number; share: number }[];
  daily: DailyFigures[];
}

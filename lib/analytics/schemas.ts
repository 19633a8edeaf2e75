import "server-only";
import { z } from "zod";
import { COVERAGE_BINS } from "@/lib/contract/analytics-types";
import { videoId } from "@/lib/videos/schemas";

const DAY_SECONDS = 24 * 3600;
const seconds = z.number().finite().min(0).max(DAY_SECONDS);
const count = z.number().int().min(0).max(100_000);

/** POST /api/beacons: one view's totals so far. Unknown fields are refused. */
export const beaconSchema = z.strictObject({
  viewId: z.uuid(),
  videoId,
  seq: z.number().int().min(1).max(1_000_000),
  startupMs: z.number().int().min(0).max(600_000).optional(),
  watchSeconds: seconds,
  furthestSeconds: seconds,
  rebufferCount: count,
  rebufferSeconds: seconds,
  errorCount: count,
  lastError: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "a short error code")
    .optional(),
  renditions: z
    .record(z.string().regex(/^\d{2,4}p$/, "a rendition such as 720p"), seconds)
    .refine((r) => Object.keys(r).length <= 12, "at most 12 renditions"),
  coverage: z
    .string()
    .regex(new RegExp(`^[01]{${COVERAGE_BINS}}$`), `${COVERAGE_BINS} characters of 0 and 1`),
});

export type BeaconInput = z.infer<typeof beaconSchema>;

/** `?days=` of the admin analytics: 1 to 366, default 30. */
export const analyticsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
});

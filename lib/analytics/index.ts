import "server-only";

export { recordBeacon, pruneViews } from "./record-beacon";
export { analyticsSummary, videoAnalytics } from "./aggregate";
export { analyticsQuerySchema, beaconSchema, type BeaconInput } from "./schemas";
export { createRateLimiter } from "./rate-limit";

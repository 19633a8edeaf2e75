import { withSession } from "@/lib/auth";
import { noContent } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";
import { recordBeacon } from "@/lib/analytics";

// POST /api/beacons - a playback beacon from the player: one view's totals so far (members)
export const POST = withSession(async ({ req, user }) => {
  await recordBeacon(req, user);
  return noContent();
});

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");

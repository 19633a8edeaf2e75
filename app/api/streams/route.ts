import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";
import { listMemberStreams } from "@/lib/playback";

// GET /api/streams - the member's devices playing now, oldest first, and their limit
export const GET = withSession(async ({ req, user }) => json(await listMemberStreams(user, req)));

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

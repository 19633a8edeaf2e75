import { authGet, authPost } from "@/lib/auth/auth-route";
import { otherMethods } from "@/lib/api/methods";

// GET /api/auth/* - NextAuth (session, csrf, providers)
export const GET = authGet;
// POST /api/auth/* - NextAuth sign-in (throttled) and sign-out (clears media cookies)
export const POST = authPost;

// Every other method: a JSON 405 with Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");

import { authGet, authPost } from "@/lib/auth/auth-route";

// GET /api/auth/* - NextAuth (session, csrf, providers)
export const GET = authGet;
// POST /api/auth/* - NextAuth sign-in (throttled) and sign-out (clears media cookies)
export const POST = authPost;

import { authGet, authPost } from "@/lib/auth/auth-route";
import { otherMethods } from "@/lib/api/methods";
import { observeRequest } from "@/lib/observability/observe-request";
import type { NextRequest } from "next/server";

type Context = { params: Promise<{ nextauth: string[] }> };

// GET /api/auth/* - NextAuth (session, csrf, providers)
export const GET = async (req: NextRequest, ctx: Context) =>
  observeRequest(req, await ctx.params, () => authGet(req));
// POST /api/auth/* - NextAuth sign-in (throttled) and sign-out (clears media cookies)
export const POST = async (req: NextRequest, ctx: Context) =>
  observeRequest(req, await ctx.params, () => authPost(req));

// Every other method: a JSON 405 with Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");

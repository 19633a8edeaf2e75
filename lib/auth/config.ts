import "server-only";
import { getLogger } from "@/lib/observability/logger";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { env } from "@/lib/env";
import { authSecret } from "./secret";
import { verifyPassword } from "./password";
import { findUserByEmail } from "./users";
import {
  SESSION_MAX_AGE_SECONDS,
  createSession,
  endSession,
  findSession,
  isLive,
  signInContext,
} from "./sessions";
import type { Role } from "@/lib/contract/types";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; role: Role };
  }
  interface User {
    role?: Role;
    /** The session row made at sign-in (lib/auth/sessions.ts). */
    sessionId?: string;
  }
}

const credentialsSchema = z.object({
  email: z.string().trim().max(320),
  password: z.string().max(1024),
});

// Built per request (NextAuth accepts a function) so that `next build` never reads
// secrets or configuration: the api image is built once and configured at run time.
function config(): NextAuthConfig {
  return {
    basePath: "/api/auth",
    secret: authSecret(),
    // The API server sits behind CloudFront or the preview edge; AUTH_URL pins the
    // public origin because the standalone server's req.url ignores Host headers.
    trustHost: env().AUTH_TRUST_HOST,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", signOut: "/signout", error: "/signin" },
    logger: {
      // A wrong password is an expected outcome (counted by the throttle), not an error.
      error(error) {
        // Class names are minified in the build; Auth.js errors carry a stable `type`.
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        getLogger("auth").error(
          `${(error as { type?: string }).type ?? error.name}: ${error.message}`,
        );
      },
    },
    providers: [
      Credentials({
        credentials: {
          email: { label: "Email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(raw) {
          // Only the sign-in route (auth-route.ts) sets this, after its limits: whatever
          // else reaches this provider signs no one in.
          const ctx = signInContext.getStore();
          if (!ctx) return null;
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const user = await findUserByEmail(parsed.data.email);
          // Always verify (against a dummy hash when there is no user) so a missing
          // account, a disabled one and a wrong password look and time the same.
          const ok = await verifyPassword(user?.passwordHash ?? null, parsed.data.password);
          if (!user || !ok || user.disabled) return null;
          ctx.sessionId = await createSession(user.id, ctx);
          const { id, email, name, role } = user;
          return { id, email, name, role, sessionId: ctx.sessionId };
        },
      }),
    ],
    events: {
      // Sign-out ends the session row, so the JWT is dead even if a copy of it is kept.
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (typeof sid === "string") await endSession(sid, "signed_out");
      },
    },
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = user.role ?? "member";
          token.sid = user.sessionId;
          return token;
        }
        // NextAuth's own reads (/api/auth/session) honour ended sessions too: null
        // clears the cookie.
        const live =
          typeof token.sid === "string" &&
          typeof token.uid === "string" &&
          isLive(await findSession(token.sid), token.uid);
        return live ? token : null;
      },
      session({ session, token }) {
        session.user.id = typeof token.uid === "string" ? token.uid : "";
        session.user.role = token.role === "admin" ? "admin" : "member";
        return session;
      },
    },
  };
}

export const { handlers, auth } = NextAuth(() => config());

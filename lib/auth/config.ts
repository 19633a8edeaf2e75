import "server-only";
import { getLogger } from "@/lib/observability/logger";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { env } from "@/lib/env";
import { authSecret } from "./secret";
import { verifyPassword } from "./password";
import { findUserByEmail } from "./users";
import type { Role } from "@/lib/client/types";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; role: Role };
  }
  interface User {
    role?: Role;
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
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
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
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const user = await findUserByEmail(parsed.data.email);
          // Always verify (against a dummy hash when there is no user) so a missing
          // account, a disabled one and a wrong password look and time the same.
          const ok = await verifyPassword(user?.passwordHash ?? null, parsed.data.password);
          if (!user || !ok || user.disabled) return null;
          return { id: user.id, email: user.email, name: user.name, role: user.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = user.role ?? "member";
        }
        return token;
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

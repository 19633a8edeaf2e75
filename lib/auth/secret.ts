import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

/**
 * The key NextAuth encrypts session JWTs with. Production passes AUTH_SECRET (from
 * Secrets Manager); the local preview generates one into DATA_DIR on first start so
 * sessions survive a restart.
 */
let cached: string | undefined;

export function authSecret(): string {
  cached ??= readOrCreateSecret();
  return cached;
}

function readOrCreateSecret(): string {
  const config = env();
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  const file = path.join(config.dataDir, "auth-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    // `wx` fails if another process won the race; then read what it wrote.
    try {
      writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return readFileSync(file, "utf8").trim();
    }
  }
}

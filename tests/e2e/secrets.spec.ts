import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { dataDir, expect, localOnly, test } from "./support";

// The dev private key, the auth secret and password hashes must never leave the
// server: not in the static export, not in an API answer, not in the logs.

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

test("no secret in out/, API responses or logs", async ({ adminPage, memberPage, request }) => {
  localOnly("reads the preview's DATA_DIR and out/");
  const pem = readFileSync(path.join(dataDir, "keys", "private.pem"), "utf8");
  const keyBody = pem
    .split("\n")
    .filter((l) => l && !l.startsWith("-----"))
    .join("");
  const authSecret = readFileSync(path.join(dataDir, "auth-secret"), "utf8").trim();
  const needles = [
    keyBody.slice(0, 64),
    keyBody.slice(-64),
    authSecret,
    "$argon2id$",
    "PRIVATE KEY",
  ];

  const outDir = path.resolve("out");
  expect(existsSync(outDir)).toBe(true);
  for (const file of walk(outDir)) {
    const text = readFileSync(file, "latin1");
    for (const needle of needles)
      expect(text.includes(needle), `${file} contains a secret`).toBe(false);
  }

  const answers: string[] = [];
  for (const [page, paths] of [
    [request, ["/api/health", "/api/auth/session", "/api/auth/providers", "/api/auth/csrf"]],
    [memberPage.request, ["/api/me", "/api/videos", "/api/auth/session"]],
    [adminPage.request, ["/api/admin/users", "/api/admin/videos", "/api/me"]],
  ] as const) {
    for (const p of paths) {
      const res = await page.get(p);
      answers.push(`${p} ${JSON.stringify(res.headers())} ${await res.text()}`);
    }
  }
  const cookies = await memberPage.request.post("/api/signed-cookies");
  answers.push(JSON.stringify(cookies.headers()) + (await cookies.text()));
  const url = await memberPage.request.post("/api/signed-urls", {
    data: { path: "/media/videos/x/poster.jpg" },
  });
  answers.push(await url.text());
  for (const answer of answers) {
    for (const needle of needles)
      expect(answer.includes(needle), `an API answer contains a secret`).toBe(false);
  }

  const log = readFileSync(path.join(dataDir, "logs", "reelgate.log"), "utf8");
  expect(log.length).toBeGreaterThan(100);
  for (const needle of needles)
    expect(log.includes(needle), "the log contains a secret").toBe(false);
});

import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./tests/support/chromium";

/**
 * Two ways to run the same suite:
 *   local  (default)  `npm run test:e2e` starts the whole preview (`npm start`) on a
 *                     spare port with a throwaway DATA_DIR and known accounts;
 *   remote            `E2E_BASE_URL=https://preview.example.com npm run test:e2e:remote`
 *                     against a deployed preview distribution, with accounts from
 *                     E2E_ADMIN_EMAIL/E2E_ADMIN_PASSWORD and E2E_MEMBER_EMAIL/E2E_MEMBER_PASSWORD.
 * Tests that need local control (short cookie lifetimes, killing workers, files in
 * the bucket) skip themselves on remote runs with the reason.
 */

const remote = Boolean(process.env.E2E_BASE_URL);
const port = Number(process.env.E2E_PORT ?? 3107);
// Config files are evaluated again in every worker; the env var carries the one
// DATA_DIR chosen by the main process to them.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "reelgate-e2e-"));
process.env.E2E_ADMIN_EMAIL ??= "admin@e2e.test";
process.env.E2E_ADMIN_PASSWORD ??= "e2e-admin-password-1";
const baseURL = process.env.E2E_BASE_URL ?? `http://localhost:${port}`;

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
};

export default defineConfig({
  testDir: "tests/e2e",
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
  },
  projects: [
    // `secrets` is setup's teardown: it runs once every local test is done (passed or
    // not), so the preview log it checks holds what the whole suite made it write.
    { name: "setup", testMatch: /global\.setup\.ts/, teardown: "secrets", use: chromium },
    {
      name: "local",
      testIgnore: [/\.setup\.ts/, /secrets\.spec\.ts/],
      dependencies: ["setup"],
      use: chromium,
    },
    { name: "secrets", testMatch: /secrets\.spec\.ts/, use: chromium },
    { name: "remote-setup", testMatch: /global\.setup\.ts/, use: chromium },
    { name: "remote", testIgnore: /\.setup\.ts/, dependencies: ["remote-setup"], use: chromium },
  ],
  webServer: remote
    ? undefined
    : {
        command: "npm start",
        url: `${baseURL}/api/health`,
        timeout: 300_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
        env: {
          PORT: String(port),
          DATA_DIR: process.env.E2E_DATA_DIR,
          ADMIN_EMAIL: process.env.E2E_ADMIN_EMAIL,
          ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD,
          SIGNIN_MAX_FAILURES: "5",
          SIGNIN_MAX_FAILURES_PER_ADDRESS: "100",
          SIGNIN_MAX_FAILURES_PER_ACCOUNT: "20",
          JOB_LEASE_SECONDS: "10",
        },
      },
});

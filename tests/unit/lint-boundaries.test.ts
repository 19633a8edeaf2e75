import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The layer rules of eslint.config.mjs, proven on fixtures: each forbidden import is
// linted as if it were written in a real file of that layer, and must be refused by
// `no-restricted-imports`; the imports each layer does need must pass.

const cases: { file: string; source: string; refused: boolean }[] = [
  // Pages and components: lib/client and lib/contract only.
  { file: "components/player/icons.tsx", source: "@/lib/db", refused: true },
  { file: "components/player/icons.tsx", source: "../../lib/auth/users", refused: true },
  { file: "app/(members)/videos/page.tsx", source: "@/lib/playback", refused: true },
  { file: "components/player/icons.tsx", source: "server-only", refused: true },
  { file: "components/player/icons.tsx", source: "@/lib/client/api", refused: false },
  { file: "components/player/icons.tsx", source: "@/lib/contract/types", refused: false },
  // Route handlers are server code.
  { file: "app/api/videos/route.ts", source: "@/lib/videos/catalog", refused: false },
  // lib/client: the browser's side of the API.
  { file: "lib/client/api.ts", source: "@/lib/env", refused: true },
  { file: "lib/client/api.ts", source: "../storage/bucket-keys", refused: true },
  { file: "lib/client/api.ts", source: "@/lib/contract/types", refused: false },
  // lib/contract: imported by both sides, imports neither.
  { file: "lib/contract/types.ts", source: "@/lib/client/api", refused: true },
  { file: "lib/contract/types.ts", source: "@/lib/errors", refused: true },
  // The edge: no database, no sessions.
  { file: "edge/server.ts", source: "../lib/db", refused: true },
  { file: "edge/cloudfront/denial.ts", source: "../../lib/auth/sessions", refused: true },
  { file: "edge/server.ts", source: "../lib/observability/request-id", refused: false },
  // infra: the shared headers spec and key-type rule, nothing else of the app.
  { file: "infra/lib/config.ts", source: "../../edge/server", refused: true },
  { file: "infra/lib/config.ts", source: "../../lib/db", refused: true },
  { file: "infra/lib/config.ts", source: "../../edge/security-headers", refused: false },
  { file: "infra/lib/config.ts", source: "../../edge/cloudfront/signing-key-type", refused: false },
];

describe("layer boundaries in lint", () => {
  const eslint = new ESLint({ cwd: process.cwd() });

  it.each(cases)("$file importing $source: refused $refused", async ({ file, source, refused }) => {
    const code = `import * as imported from "${source}";\nexport const used = imported;\n`;
    const [result] = await eslint.lintText(code, { filePath: file });
    const hits = result!.messages.filter((m) => m.ruleId === "no-restricted-imports");
    expect(hits.length, hits.map((m) => m.message).join("; ")).toBe(refused ? 1 : 0);
  });
}, 180_000);

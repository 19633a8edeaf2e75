import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes versioned SQL into lib/db/migrations (committed).
// The same files are applied at start on PGlite and on Postgres.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./lib/db/migrations",
});

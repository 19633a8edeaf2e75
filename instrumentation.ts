// Runs once when the API server starts (api build only: the static build sees
// .tsx files only). The database is migrated and the first admin created here,
// before the first request; with PGlite the worker runs in this process too,
// because an embedded database has exactly one owner process.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootApiServer } = await import("./lib/boot");
  await bootApiServer();
}

import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Every file under `dir`, recursively. */
export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** A route handler file (`app/api/**\/route.ts`) and the HTTP methods it exports. */
export interface ApiRoute {
  /** The route as Next names it, e.g. `/api/admin/uploads/[id]/parts/[part]`. */
  route: string;
  methods: string[];
}

const METHOD_EXPORT =
  /^export\s+(?:const|async\s+function|function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/gm;

/** Every API route handler in the source tree, sorted by route. */
export function apiRoutesInSource(root: string): ApiRoute[] {
  const app = path.join(root, "app");
  return walk(path.join(app, "api"))
    .filter((f) => f.endsWith("/route.ts"))
    .map((f) => ({
      route: "/" + path.relative(app, f).replace(/\/route\.ts$/, ""),
      methods: [...readFileSync(f, "utf8").matchAll(METHOD_EXPORT)].map((m) => m[1]!),
    }))
    .sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
}

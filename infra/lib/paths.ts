import path from "node:path";

/** The `infra/` folder. */
export const infraDir = path.resolve(import.meta.dirname, "..");

/** The repository root: the Docker build context and the home of `out/` and `edge/`. */
export const repoRoot = path.resolve(infraDir, "..");

/** The CloudFront Function the local preview edge runs too; production deploys this file. */
export const viewerRequestFunctionFile = path.join(repoRoot, "edge/viewer-request.js");

/** Where `npm run build:static` writes the static export. */
export const defaultSiteDir = path.join(repoRoot, "out");

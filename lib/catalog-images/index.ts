import "server-only";

// Catalog images (posters) in their own bucket folders, one per audience, kept in step
// with each video's publication and groups. Shared by the admin service, the worker
// and the consistency check, so it lives apart from all three.
export {
  CATALOG_IMAGE_CACHE_CONTROL,
  syncAllCatalogImages,
  syncCatalogImages,
  syncCatalogImagesAfter,
  wantedAudiences,
  type SyncTargets,
} from "./sync";

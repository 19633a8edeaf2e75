import "server-only";

/** The S3 error code of an SDK error ("NoSuchKey", "NotFound", ...), if it is one. */
export function s3ErrorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { name?: unknown; Code?: unknown };
  if (typeof e.Code === "string") return e.Code;
  return typeof e.name === "string" ? e.name : undefined;
}

export function s3Status(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/**
 * GetObject says NoSuchKey, but HeadObject has no body, so the SDK can only name its 404
 * "NotFound". Either means the object is not there.
 */
export function isMissingObject(err: unknown): boolean {
  const code = s3ErrorCode(err);
  return (
    code === "NoSuchKey" ||
    code === "NotFound" ||
    (code !== "NoSuchBucket" && s3Status(err) === 404)
  );
}

export function isMissingUpload(err: unknown): boolean {
  return s3ErrorCode(err) === "NoSuchUpload";
}

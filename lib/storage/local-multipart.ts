import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, rename, rm, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { assertSafeKey } from "./assert-safe-key";
import { writeTemp } from "./atomic-write";
import { readableFromWeb } from "./from-web";
import { createKeyedLock } from "./keyed-lock";
import {
  folderClash,
  isFsError,
  metaPath,
  multipartDir,
  objectPath,
  readJson,
  writeJsonAtomic,
  type LocalMeta,
} from "./local-layout";
import { assertPartNumber, normalizeCompletedParts } from "./multipart-rules";
import type { ObjectInfo, PartBody, Storage } from "./types";

interface UploadRecord {
  key: string;
  contentType: string;
  createdAt: string;
}

interface PartRecord {
  etag: string;
  size: number;
}

type LocalMultipart = Pick<
  Storage,
  | "createMultipart"
  | "partUrl"
  | "listParts"
  | "completeMultipart"
  | "abortMultipart"
  | "receivePart"
>;

function toNodeStream(body: PartBody): Readable {
  if (body instanceof Readable) return body;
  if ("getReader" in body) return readableFromWeb(body);
  return new Readable().wrap(body);
}

const noSuchUpload = () => new AppError("not_found", "No such upload.");

/**
 * The S3 multipart protocol on the local folder. Parts arrive through the API
 * (`receivePart`) instead of presigned URLs, so the browser runs the same code either way.
 * Part bodies stream to temp files in parallel; the renames that publish them, and
 * complete/abort, are serialised per upload so completing never races a late part.
 */
export function createLocalMultipart(ctx: {
  root: string;
  minPartBytes: number;
  info: (key: string) => Promise<ObjectInfo | null>;
}): LocalMultipart {
  const withLock = createKeyedLock();

  async function openUpload(key: string, multipartId: string): Promise<string> {
    assertSafeKey(key);
    const dir = multipartDir(ctx.root, multipartId);
    const record = await readJson<UploadRecord>(path.join(dir, "upload.json"));
    if (!record || record.key !== key) throw noSuchUpload();
    return dir;
  }

  async function readParts(dir: string) {
    const names = await readdir(dir).catch((err: unknown) => {
      if (isFsError(err, "ENOENT")) throw noSuchUpload();
      throw err;
    });
    const parts = await Promise.all(
      names
        .filter((n) => /^\d+$/.test(n))
        .map(async (n) => {
          const rec = await readJson<PartRecord>(path.join(dir, `${n}.json`));
          return rec ? { partNumber: Number(n), etag: rec.etag, size: rec.size } : null;
        }),
    );
    return parts.filter((p) => p !== null).sort((a, b) => a.partNumber - b.partNumber);
  }

  return {
    async createMultipart(key, contentType) {
      assertSafeKey(key);
      const multipartId = randomBytes(18).toString("base64url");
      const dir = multipartDir(ctx.root, multipartId);
      await mkdir(dir, { recursive: true });
      const record: UploadRecord = { key, contentType, createdAt: new Date().toISOString() };
      await writeJsonAtomic(path.join(dir, "upload.json"), record);
      return { multipartId };
    },

    partUrl({ key, multipartId, partNumber, uploadId }) {
      // Nothing to sign locally: the part goes to the admin API, which checks the session.
      return Promise.resolve().then(() => {
        assertSafeKey(key);
        multipartDir(ctx.root, multipartId);
        assertPartNumber(partNumber);
        const url = `/api/admin/uploads/${encodeURIComponent(uploadId)}/parts/${partNumber}`;
        return { url, method: "PUT" as const };
      });
    },

    async receivePart(key, multipartId, partNumber, body, maxBytes) {
      assertPartNumber(partNumber);
      const dir = await openUpload(key, multipartId);
      // createDir off: if the upload is aborted meanwhile, the write fails instead of
      // quietly re-creating its folder.
      const written = await writeTemp(toNodeStream(body), dir, {
        maxBytes,
        label: String(partNumber),
        createDir: false,
      }).catch((err: unknown) => {
        throw isFsError(err, "ENOENT") ? noSuchUpload() : err;
      });
      const part: PartRecord = { etag: `"${written.md5.toString("hex")}"`, size: written.size };
      try {
        await withLock(multipartId, async () => {
          // The upload may have been completed or aborted while the body was streaming.
          await openUpload(key, multipartId);
          await rename(written.tempPath, path.join(dir, String(partNumber)));
          await writeJsonAtomic(path.join(dir, `${partNumber}.json`), part);
        });
      } catch (err) {
        await unlink(written.tempPath).catch(() => undefined);
        if (isFsError(err, "ENOENT")) throw noSuchUpload();
        throw err;
      }
      return part;
    },

    async listParts(key, multipartId) {
      return readParts(await openUpload(key, multipartId));
    },

    async completeMultipart(key, multipartId, requested) {
      const wanted = normalizeCompletedParts(requested);
      return withLock(multipartId, async () => {
        let dir: string;
        try {
          dir = await openUpload(key, multipartId);
        } catch (err) {
          // S3 forgets a completed upload too; the object it left tells the two cases apart.
          if (err instanceof AppError && err.code === "not_found" && (await ctx.info(key))) {
            throw new AppError("conflict", "This upload was already completed.");
          }
          throw err;
        }
        const record = (await readJson<UploadRecord>(path.join(dir, "upload.json")))!;
        const stored = new Map((await readParts(dir)).map((p) => [p.partNumber, p]));
        wanted.forEach((p, i) => {
          const have = stored.get(p.partNumber);
          if (!have) throw new AppError("unprocessable", `Part ${p.partNumber} is missing.`);
          if (have.etag !== p.etag) {
            throw new AppError("unprocessable", `Part ${p.partNumber} does not match its ETag.`);
          }
          if (i < wanted.length - 1 && have.size < ctx.minPartBytes) {
            throw new AppError(
              "unprocessable",
              `Part ${p.partNumber} is smaller than ${ctx.minPartBytes} bytes; only the last part may be.`,
            );
          }
        });

        const file = objectPath(ctx.root, key);
        const joined = Readable.from(
          (async function* () {
            for (const p of wanted) yield* createReadStream(path.join(dir, String(p.partNumber)));
          })(),
        );
        // S3's multipart ETag: md5 of the concatenated binary part digests, then "-<count>".
        const digests = createHash("md5");
        for (const p of wanted) digests.update(Buffer.from(p.etag.slice(1, -1), "hex"));
        const etag = `"${digests.digest("hex")}-${wanted.length}"`;
        try {
          const written = await writeTemp(joined, path.dirname(file), {
            label: path.basename(file),
          });
          await rename(written.tempPath, file).catch(async (err: unknown) => {
            await unlink(written.tempPath).catch(() => undefined);
            throw err;
          });
          const meta: LocalMeta = { contentType: record.contentType, etag };
          await writeJsonAtomic(metaPath(ctx.root, key), meta);
        } catch (err) {
          if (isFsError(err, "ENOTDIR", "EISDIR", "EEXIST")) throw folderClash(key);
          throw err;
        }
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
        const done = await ctx.info(key);
        if (!done) throw new Error(`completed object ${key} is missing`);
        return done;
      });
    },

    async abortMultipart(key, multipartId) {
      await withLock(multipartId, async () => {
        let dir: string;
        try {
          dir = await openUpload(key, multipartId);
        } catch (err) {
          if (err instanceof AppError && err.code === "not_found") return;
          throw err;
        }
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      });
    },
  };
}

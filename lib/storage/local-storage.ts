import "server-only";
import { createReadStream } from "node:fs";
import { mkdir, readdir, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { assertSafeKey, assertSafePrefix } from "./assert-safe-key";
import { writeFileAtomic } from "./atomic-write";
import { guessContentType } from "./content-type";
import {
  folderClash,
  isFsError,
  metaPath,
  objectPath,
  readJson,
  writeJsonAtomic,
  type LocalMeta,
} from "./local-layout";
import { createLocalMultipart } from "./local-multipart";
import { MIN_PART_BYTES } from "./multipart-rules";
import { resolveRange } from "./resolve-range";
import type { ByteRange, ObjectInfo, PutBody, PutOptions, Storage } from "./types";

export interface LocalStorageOptions {
  /** Smallest size of every part but the last (S3: 5 MiB). Lower it only in tests. */
  minPartBytes?: number;
}

function toReadable(body: PutBody): Readable {
  if (typeof body === "string") return Readable.from([Buffer.from(body)]);
  if (body instanceof Uint8Array) return Readable.from([Buffer.from(body)]);
  return body;
}

/**
 * The media bucket as a folder (`.data/bucket` by default), for running without AWS.
 * Every write goes to a temp file first and is renamed into place, so a reader or a
 * crash never sees half an object.
 */
export function createLocalStorage(root: string, options: LocalStorageOptions = {}): Storage {
  const base = path.resolve(root);

  async function info(key: string): Promise<ObjectInfo | null> {
    let st;
    try {
      st = await stat(objectPath(base, key));
    } catch (err) {
      if (isFsError(err, "ENOENT", "ENOTDIR")) return null;
      throw err;
    }
    if (!st.isFile()) return null;
    const meta = (await readJson<LocalMeta>(metaPath(base, key))) ?? {};
    return {
      key,
      size: st.size,
      contentType: meta.contentType ?? guessContentType(key),
      ...(meta.cacheControl ? { cacheControl: meta.cacheControl } : {}),
      ...(meta.etag ? { etag: meta.etag } : {}),
      lastModified: st.mtime,
    };
  }

  async function store(key: string, source: Readable, opts: PutOptions = {}): Promise<void> {
    const file = objectPath(base, key);
    try {
      const { md5 } = await writeFileAtomic(source, file);
      const meta: LocalMeta = {
        contentType: opts.contentType ?? guessContentType(key),
        ...(opts.cacheControl ? { cacheControl: opts.cacheControl } : {}),
        etag: `"${md5.toString("hex")}"`,
      };
      await writeJsonAtomic(metaPath(base, key), meta);
    } catch (err) {
      if (isFsError(err, "ENOTDIR", "EISDIR", "EEXIST")) throw folderClash(key);
      throw err;
    }
  }

  /** Keys under `prefix`, found by walking only the folder the prefix points into. */
  async function keysUnder(prefix: string): Promise<string[]> {
    const parts = prefix.split("/");
    parts.pop(); // the last, possibly partial, segment (empty if prefix ends with "/")
    const startRel = parts.join("/");
    const keys: string[] = [];
    async function walk(rel: string): Promise<void> {
      let entries;
      try {
        entries = await readdir(path.join(base, ...rel.split("/").filter(Boolean)), {
          withFileTypes: true,
        });
      } catch (err) {
        if (isFsError(err, "ENOENT", "ENOTDIR")) return;
        throw err;
      }
      for (const entry of entries) {
        if (entry.name.startsWith(".")) continue; // .meta, .multipart, temp files
        const key = rel ? `${rel}/${entry.name}` : entry.name;
        if (!key.startsWith(prefix) && !prefix.startsWith(`${key}/`)) continue;
        if (entry.isDirectory()) await walk(key);
        else if (entry.isFile() && key.startsWith(prefix)) keys.push(key);
      }
    }
    await walk(startRel);
    return keys.sort();
  }

  /** Removes now-empty folders from `dir` up to (not including) `stop`. */
  async function pruneUp(dir: string, stop: string): Promise<void> {
    let current = dir;
    while (current.startsWith(stop + path.sep) && current !== stop) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or gone): the folders above are not empty either
      }
      current = path.dirname(current);
    }
  }

  async function open(key: string, range?: ByteRange) {
    const found = await info(key);
    if (!found) throw new AppError("not_found", "No such object.");
    const bounds = range ? resolveRange(range, found.size) : undefined;
    const body = createReadStream(objectPath(base, key), bounds ?? {});
    return { body, info: found, ...(bounds ? { range: bounds } : {}) };
  }

  const multipart = createLocalMultipart({
    root: base,
    minPartBytes: options.minPartBytes ?? MIN_PART_BYTES,
    info,
  });

  return {
    async put(key, body, opts) {
      await store(key, toReadable(body), opts);
    },

    async putFile(key, filePath, opts) {
      await store(key, createReadStream(filePath), opts);
    },

    getStream: open,

    head: async (key) => info(assertSafeKey(key)),

    async downloadToFile(key, filePath) {
      const { body } = await open(key);
      await writeFileAtomic(body, path.resolve(filePath));
    },

    async list(prefix) {
      const keys = await keysUnder(assertSafePrefix(prefix, { allowEmpty: true }));
      const infos = await Promise.all(keys.map((key) => info(key)));
      return infos.filter((i): i is ObjectInfo => i !== null);
    },

    async deletePrefix(prefix) {
      const keys = await keysUnder(assertSafePrefix(prefix));
      let deleted = 0;
      const folders = new Set<string>();
      for (const key of keys) {
        try {
          await unlink(objectPath(base, key));
          deleted++;
        } catch (err) {
          if (!isFsError(err, "ENOENT")) throw err;
        }
        await unlink(metaPath(base, key)).catch(() => undefined);
        folders.add(path.dirname(objectPath(base, key)));
        folders.add(path.dirname(metaPath(base, key)));
      }
      // Deepest first, so a parent is tried after its children are gone.
      for (const dir of [...folders].sort((a, b) => b.length - a.length)) {
        await pruneUp(dir, base);
      }
      return deleted;
    },

    ...multipart,

    probeSource(key) {
      return Promise.resolve(objectPath(base, key));
    },

    async check() {
      try {
        await mkdir(base, { recursive: true });
        const probe = path.join(base, `.health-${randomBytes(6).toString("hex")}`);
        await writeFile(probe, "ok");
        await unlink(probe);
        return { ok: true };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? "error";
        return { ok: false, detail: `local bucket not writable (${code})` };
      }
    },
  };
}

import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError } from "@/lib/errors";

export interface WrittenTemp {
  tempPath: string;
  size: number;
  md5: Buffer;
}

/**
 * Streams `source` into a fresh temp file in `dir`, hashing and counting on the way. The
 * temp name starts with "." so no key can name it and listings skip it. On any failure
 * (including `maxBytes` exceeded) the temp file is removed.
 */
export async function writeTemp(
  source: Readable,
  dir: string,
  {
    maxBytes = Infinity,
    label = "file",
    createDir = true,
  }: { maxBytes?: number; label?: string; createDir?: boolean } = {},
): Promise<WrittenTemp> {
  if (createDir) await mkdir(dir, { recursive: true });
  // Capped so the temp name stays under the 255-byte file name limit.
  const tempPath = path.join(dir, `.${label.slice(0, 64)}.${randomBytes(8).toString("hex")}.tmp`);
  const hash = createHash("md5");
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(new AppError("payload_too_large", `The body is larger than ${maxBytes} bytes.`));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(tempPath, { flags: "wx" }));
  } catch (err) {
    await unlink(tempPath).catch(() => undefined);
    throw err;
  }
  return { tempPath, size, md5: hash.digest() };
}

/**
 * Writes `source` to `dest` whole or not at all: readers never see a half-written file,
 * and a broken stream leaves the previous content (or nothing) in place.
 */
export async function writeFileAtomic(
  source: Readable,
  dest: string,
  options: { maxBytes?: number } = {},
): Promise<{ size: number; md5: Buffer }> {
  const written = await writeTemp(source, path.dirname(dest), {
    ...options,
    label: path.basename(dest),
  });
  try {
    await rename(written.tempPath, dest);
  } catch (err) {
    await unlink(written.tempPath).catch(() => undefined);
    throw err;
  }
  return { size: written.size, md5: written.md5 };
}

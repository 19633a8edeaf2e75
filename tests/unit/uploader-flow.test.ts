import { describe, expect, it } from "vitest";
import {
  Uploader,
  UploadHttpError,
  type UploadFile,
  type UploadItem,
  type UploadTransport,
} from "@/lib/client/uploader";
import type { KeyValueStorage } from "@/lib/client/upload-resume-store";
import type { PartPutRequest } from "@/lib/client/upload-transport";
import type { UploadState } from "@/lib/contract/types";

// ---------------------------------------------------------------------------------
// An in-memory upload API with the protocol of lib/contract/types.ts. It stores the
// bytes it receives, so a test can check the assembled file, and it records every
// call, so a test can check which parts went over the wire.

type PutOutcome = "ok" | "hang" | { status: number; code?: string };

interface FakeUpload {
  state: UploadState;
  title: string;
  stored: Map<number, { etag: string; bytes: Uint8Array }>;
  assembled: Uint8Array | null;
}

class FakeServer implements UploadTransport {
  readonly uploads = new Map<string, FakeUpload>();
  readonly calls: { method: string; path: string; body?: unknown }[] = [];
  readonly puts: { partNumber: number; url: string; size: number }[] = [];
  readonly urlBatches: number[][] = [];
  readonly aborted: number[] = [];
  /** Decides each PUT by part number and attempt (1-based). */
  putOutcome: (partNumber: number, attempt: number) => PutOutcome = () => "ok";
  createError: UploadHttpError | null = null;
  completeError: UploadHttpError | null = null;
  inflight = new Map<string, number>();
  maxInflightPerUpload = 0;
  maxUploadsInFlight = 0;
  onPut: ((req: PartPutRequest) => void) | null = null;
  private attempts = new Map<string, number>();
  private urlVersion = 0;
  private nextId = 0;

  constructor(readonly partSize: number) {}

  /** Pretends an earlier session already sent some parts of an open upload. */
  seed(file: Blob, partNumbers: number[]): Promise<UploadState> {
    return (async () => {
      const id = `up-${++this.nextId}`;
      const partCount = Math.ceil(file.size / this.partSize);
      const stored = new Map<number, { etag: string; bytes: Uint8Array }>();
      for (const n of partNumbers) {
        const slice = file.slice((n - 1) * this.partSize, n * this.partSize);
        stored.set(n, { etag: `"seed-${n}"`, bytes: new Uint8Array(await slice.arrayBuffer()) });
      }
      const state: UploadState = {
        id,
        videoId: `vid-${id}`,
        fileName: "seeded.mp4",
        sizeBytes: file.size,
        partSize: this.partSize,
        partCount,
        status: "open",
        uploadedParts: [],
      };
      this.uploads.set(id, { state, title: "seeded", stored, assembled: null });
      return state;
    })();
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    this.calls.push({ method, path, body });
    await tick();
    const m = /^\/api\/admin\/uploads(?:\/([^/]+))?(?:\/(parts|complete))?$/.exec(path);
    if (!m) throw new UploadHttpError(404, "not_found", "no route");
    const [, id, action] = m;
    if (!id && method === "POST") return this.create(body as Record<string, unknown>) as T;
    const upload = id ? this.uploads.get(id) : undefined;
    if (!upload) throw new UploadHttpError(404, "not_found", "Upload not found");
    if (method === "GET" && !action) return this.view(upload) as T;
    if (method === "DELETE" && !action) {
      upload.state.status = "aborted";
      this.uploads.delete(upload.state.id);
      return undefined as T;
    }
    if (method === "POST" && action === "parts") {
      const { partNumbers } = body as { partNumbers: number[] };
      this.urlBatches.push([...partNumbers]);
      const v = ++this.urlVersion;
      return {
        parts: partNumbers.map((n) => ({
          partNumber: n,
          url: `fake://${upload.state.id}/${n}?v=${v}`,
          method: "PUT",
          headers: { "x-part": String(n) },
        })),
      } as T;
    }
    if (method === "POST" && action === "complete") return this.complete(upload, body) as T;
    throw new UploadHttpError(405, "method_not_allowed", "no");
  }

  async putPart(req: PartPutRequest): Promise<{ etag: string }> {
    const m = /^fake:\/\/([^/]+)\/(\d+)\?v=(\d+)$/.exec(req.url);
    if (!m) throw new UploadHttpError(400, "bad_url", "bad url");
    const id = m[1]!;
    const partNumber = Number(m[2]);
    const key = `${id}/${partNumber}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    this.puts.push({ partNumber, url: req.url, size: req.body.size });
    this.onPut?.(req);

    const count = (this.inflight.get(id) ?? 0) + 1;
    this.inflight.set(id, count);
    this.maxInflightPerUpload = Math.max(this.maxInflightPerUpload, count);
    const uploading = [...this.inflight.values()].filter((c) => c > 0).length;
    this.maxUploadsInFlight = Math.max(this.maxUploadsInFlight, uploading);
    try {
      const outcome = this.putOutcome(partNumber, attempt);
      if (outcome === "hang") {
        await new Promise((_, reject) => {
          req.signal.addEventListener("abort", () => {
            this.aborted.push(partNumber);
            reject(new DOMException("aborted", "AbortError"));
          });
        });
      }
      await tick();
      if (req.signal.aborted) {
        this.aborted.push(partNumber);
        throw new DOMException("aborted", "AbortError");
      }
      req.onProgress(Math.floor(req.body.size / 2));
      await tick();
      if (typeof outcome === "object") {
        throw new UploadHttpError(outcome.status, outcome.code ?? "err", `HTTP ${outcome.status}`);
      }
      req.onProgress(req.body.size);
      const upload = this.uploads.get(id);
      if (!upload) throw new UploadHttpError(404, "not_found", "Upload not found");
      const etag = `"etag-${partNumber}-${attempt}"`;
      upload.stored.set(partNumber, {
        etag,
        bytes: new Uint8Array(await req.body.arrayBuffer()),
      });
      return { etag };
    } finally {
      this.inflight.set(id, (this.inflight.get(id) ?? 1) - 1);
    }
  }

  completeBodies(): { partNumber: number; etag: string }[][] {
    return this.calls
      .filter((c) => c.path.endsWith("/complete"))
      .map((c) => (c.body as { parts: { partNumber: number; etag: string }[] }).parts);
  }

  callsTo(method: string, re: RegExp) {
    return this.calls.filter((c) => c.method === method && re.test(c.path));
  }

  private create(body: Record<string, unknown>): UploadState {
    if (this.createError) throw this.createError;
    const id = `up-${++this.nextId}`;
    const sizeBytes = body.sizeBytes as number;
    const state: UploadState = {
      id,
      videoId: `vid-${id}`,
      fileName: body.fileName as string,
      sizeBytes,
      partSize: this.partSize,
      partCount: Math.ceil(sizeBytes / this.partSize),
      status: "open",
      uploadedParts: [],
    };
    this.uploads.set(id, {
      state,
      title: body.title as string,
      stored: new Map(),
      assembled: null,
    });
    return this.view(this.uploads.get(id)!);
  }

  private view(upload: FakeUpload): UploadState {
    return {
      ...upload.state,
      uploadedParts: [...upload.stored].map(([partNumber, p]) => ({
        partNumber,
        etag: p.etag,
        size: p.bytes.length,
      })),
    };
  }

  private complete(upload: FakeUpload, body: unknown) {
    if (this.completeError) throw this.completeError;
    if (upload.state.status === "completed") {
      throw new UploadHttpError(409, "conflict", "Upload already completed");
    }
    const { parts } = body as { parts: { partNumber: number; etag: string }[] };
    const chunks: Uint8Array[] = [];
    for (let n = 1; n <= upload.state.partCount; n++) {
      const given = parts.find((p) => p.partNumber === n);
      const stored = upload.stored.get(n);
      if (!given || !stored || stored.etag !== given.etag) {
        throw new UploadHttpError(422, "unprocessable", `Part ${n} is missing`);
      }
      chunks.push(stored.bytes);
    }
    upload.assembled = concat(chunks);
    upload.state.status = "completed";
    return { videoId: upload.state.videoId, status: "queued" };
  }
}

function tick(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function bytes(size: number, seed = 7): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

function makeFile(
  name: string,
  size: number,
  opts: { type?: string; lastModified?: number; seed?: number } = {},
): UploadFile & { blob: Blob; data: Uint8Array<ArrayBuffer> } {
  const data = bytes(size, opts.seed);
  const blob = new Blob([data]);
  return {
    name,
    size,
    type: opts.type ?? "video/mp4",
    lastModified: opts.lastModified ?? 1_700_000_000_000,
    slice: (start, end) => blob.slice(start, end),
    blob,
    data,
  };
}

class MemoryStorage implements KeyValueStorage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

function setup(server: FakeServer, extra: Partial<ConstructorParameters<typeof Uploader>[0]> = {}) {
  const sleeps: number[] = [];
  const storage = (extra.storage as MemoryStorage | undefined) ?? new MemoryStorage();
  const uploader = new Uploader({
    transport: server,
    storage,
    progressIntervalMs: 0,
    retryBaseMs: 100,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...extra,
  });
  const history: (readonly UploadItem[])[] = [];
  uploader.subscribe((items) => history.push(items));
  return { uploader, storage, sleeps, history };
}

async function settle(uploader: Uploader, timeoutMs = 5_000): Promise<readonly UploadItem[]> {
  const busy = new Set(["queued", "uploading", "completing", "cancelling"]);
  const start = Date.now();
  while (uploader.getSnapshot().some((i) => busy.has(i.phase))) {
    if (Date.now() - start > timeoutMs) throw new Error("uploads did not settle");
    await tick();
  }
  return uploader.getSnapshot();
}

async function waitFor(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met");
    await tick();
  }
}

const PS = 1024;

// ---------------------------------------------------------------------------------

describe("Uploader: a whole upload", () => {
  it.each([
    { size: 1, parts: [1] },
    { size: PS - 1, parts: [PS - 1] },
    { size: PS, parts: [PS] },
    { size: PS + 1, parts: [PS, 1] },
    { size: 2 * PS, parts: [PS, PS] },
    { size: 2 * PS + PS / 2, parts: [PS, PS, PS / 2] },
  ])("size $size is sent as parts of $parts bytes and assembles byte-exact", async (c) => {
    const server = new FakeServer(PS);
    const { uploader, storage } = setup(server);
    const file = makeFile("Holiday clip.mp4", c.size);
    uploader.add([file]);
    uploader.start();
    const [item] = await settle(uploader);

    expect(item?.phase).toBe("complete");
    const sizes = [...server.puts].sort((a, b) => a.partNumber - b.partNumber).map((p) => p.size);
    expect(sizes).toEqual(c.parts);
    const [body] = server.completeBodies();
    expect(body?.map((p) => p.partNumber)).toEqual(c.parts.map((_, i) => i + 1));
    expect(body?.every((p, i) => p.etag === `"etag-${i + 1}-1"`)).toBe(true);
    const upload = server.uploads.get(item!.uploadId!)!;
    expect(upload.assembled).toEqual(file.data);
    expect(item?.videoId).toBe(upload.state.videoId);
    expect(item?.progress.percent).toBe(100);
    expect(item?.progress.bytesSent).toBe(c.size);
    expect(storage.length).toBe(0);
  });

  it("creates the upload with the title, description and a guessed content type", async () => {
    const server = new FakeServer(PS);
    const { uploader } = setup(server);
    const [key] = uploader.add([makeFile("Talk.mkv", 10, { type: "" })]);
    uploader.update(key!, { title: "  Keynote  ", description: "Day 1" });
    uploader.start();
    await settle(uploader);
    expect(server.callsTo("POST", /^\/api\/admin\/uploads$/)[0]?.body).toEqual({
      fileName: "Talk.mkv",
      contentType: "video/x-matroska",
      sizeBytes: 10,
      title: "Keynote",
      description: "Day 1",
    });
  });

  it("defaults the title to the file name without extension and refuses an empty one", () => {
    const server = new FakeServer(PS);
    const { uploader } = setup(server);
    const [key] = uploader.add([makeFile("my.trip.mov", 10)]);
    expect(uploader.getSnapshot()[0]?.title).toBe("my.trip");
    uploader.update(key!, { title: "   " });
    uploader.start();
    expect(uploader.getSnapshot()[0]?.phase).toBe("pending");
    expect(uploader.getSnapshot()[0]?.message).toMatch(/title/i);
    expect(server.calls).toHaveLength(0);
  });

  it("PUTs each part with the headers the server gave", async () => {
    const server = new FakeServer(PS);
    const seen: Record<string, string>[] = [];
    server.onPut = (req) => seen.push(req.headers ?? {});
    const { uploader } = setup(server);
    uploader.add([makeFile("a.mp4", 2 * PS)]);
    uploader.start();
    await settle(uploader);
    expect(seen.map((h) => h["x-part"]).sort()).toEqual(["1", "2"]);
  });
});

describe("Uploader: concurrency and URL batches", () => {
  it("keeps at most 3 parts in flight per file and 2 files at a time", async () => {
    const server = new FakeServer(PS);
    const { uploader } = setup(server);
    uploader.add([1, 2, 3].map((i) => makeFile(`f${i}.mp4`, 10 * PS, { seed: i })));
    uploader.start();
    const items = await settle(uploader);
    expect(items.map((i) => i.phase)).toEqual(["complete", "complete", "complete"]);
    expect(server.maxInflightPerUpload).toBe(3);
    expect(server.maxUploadsInFlight).toBe(2);
    for (const item of items) {
      const upload = server.uploads.get(item.uploadId!)!;
      expect(upload.stored.size).toBe(10);
    }
  });

  it("honours other limits", async () => {
    const server = new FakeServer(PS);
    const { uploader } = setup(server, { concurrentFiles: 1, partsPerFile: 2 });
    uploader.add([makeFile("a.mp4", 6 * PS), makeFile("b.mp4", 6 * PS, { seed: 2 })]);
    uploader.start();
    await settle(uploader);
    expect(server.maxInflightPerUpload).toBe(2);
    expect(server.maxUploadsInFlight).toBe(1);
  });

  it("asks for URLs in small batches, each part exactly once", async () => {
    const server = new FakeServer(PS);
    const { uploader } = setup(server);
    uploader.add([makeFile("a.mp4", 10 * PS)]);
    uploader.start();
    await settle(uploader);
    expect(server.urlBatches.every((b) => b.length >= 1 && b.length <= 3)).toBe(true);
    expect(server.urlBatches.length).toBeGreaterThan(1);
    const all = server.urlBatches.flat().sort((a, b) => a - b);
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("asks again for URLs older than urlMaxAgeMs", async () => {
    const server = new FakeServer(PS);
    let clock = 0;
    server.onPut = () => {
      clock += 1_000;
    };
    const { uploader } = setup(server, {
      now: () => clock,
      partsPerFile: 1,
      urlMaxAgeMs: 500,
    });
    uploader.add([makeFile("a.mp4", 3 * PS)]);
    uploader.start();
    await settle(uploader);
    // With one part in flight a batch only holds the part about to be sent, so each
    // part gets its own fresh URL.
    expect(server.urlBatches).toEqual([[1], [2], [3]]);
  });
});

describe("Uploader: retry", () => {
  it("retries a failing part with exponential backoff and completes", async () => {
    const server = new FakeServer(PS);
    server.putOutcome = (n, attempt) => (n === 2 && attempt <= 2 ? { status: 500 } : "ok");
    const { uploader, sleeps } = setup(server);
    uploader.add([makeFile("a.mp4", 3 * PS)]);
    uploader.start();
    const [item] = await settle(uploader);
    expect(item?.phase).toBe("complete");
    expect(server.puts.filter((p) => p.partNumber === 2)).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
    const part2 = server.completeBodies()[0]?.find((p) => p.partNumber === 2);
    expect(part2?.etag).toBe('"etag-2-3"');
  });

  it("retries network errors (status 0), 408 and 429 too", async () => {
    const server = new FakeServer(PS);
    const fails: Record<number, number> = { 1: 0, 2: 408, 3: 429 };
    server.putOutcome = (n, attempt) => (attempt === 1 ? { status: fails[n]! } : "ok");
    const { uploader, sleeps } = setup(server);
    uploader.add([makeFile("a.mp4", 3 * PS)]);
    uploader.start();
    const [item] = await settle(uploader);
    expect(item?.phase).toBe("complete");
    expect(sleeps).toEqual([100, 100, 100]);
  });

  it("fails the file after 4 attempts, keeps it resumable and does not complete", async () => {
    const server = new FakeServer(PS);
    server.putOutcome = (n) => (n === 2 ? { status: 503 } : "ok");
    const { uploader, sleeps, storage } = setup(server);
    uploader.add([makeFile("a.mp4", 3 * PS)]);
    uploader.start();
    const [item] = await settle(uploader);
    expect(item?.phase).toBe("failed");
    expect(item?.message).toMatch(/Part 2 failed after 4 attempts/);
    expect(server.puts.filter((p) => p.partNumber === 2)).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(server.completeBodies()).toHaveLength(0);
    expect(storage.length).toBe(1);
    expect(item?.progress.bytesSent).toBe(2 * PS);
  });

  it("resumes a failed file on retry, sending only what is missing", async () => {
    const server = new FakeServer(PS);
    let broken = true;
    server.putOutcome = (n) => (broken && n === 3 ? { status: 400 } : "ok");
    const { uploader } = setup(server, { partsPerFile: 1 });
    const [key] = uploader.add([makeFile("a.mp4", 4 * PS)]);
    uploader.start();
    let [item] = await settle(uploader);
    expect(item?.phase).toBe("failed");
    expect(server.puts.map((p) => p.partNumber)).toEqual([1, 2, 3]);

    broken = false;
    server.puts.length = 0;
    uploader.start(key);
    [item] = await settle(uploader);
    expect(item?.phase).toBe("complete");
    expect(server.puts.map((p) => p.partNumber)).toEqual([3, 4]);
    expect(server.callsTo("POST", /^\/api\/admin\/uploads$/)).toHaveLength(1);
  });

  it("does not retry a 4xx other than 403/408/429", async () => {
    const server = new FakeServer(PS);
    server.putOutcome = (n) => (n === 1 ? { status: 404 } : "ok");
    const { uploader, sleeps } = setup(server, { partsPerFile: 1 });
    uploader.add([makeFile("a.mp4", 2 * PS)]);
    uploader.start();
    const [item] = await settle(uploader);
    expect(item?.phase).toBe("failed");
    expect(server.puts).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("on 403 (expired presigned URL) fetches a fresh URL and retries at once", async () => {
    const server = new FakeServer(PS);
    server.putOutcome = (n, attempt) => (n === 2 && attempt === 1 ? { status: 403 } : "ok");
    const { uploader, sleeps } = setup(server, { partsPerFile: 1 });
    uploader.add([makeFile("a.mp4", 3 * PS)]);
    uploader.start();
    const [item] = await settle(uploader);
    expect(item?.phase).toBe("complete");
    const part2 = server.puts.filter((p) => p.partNumber === 2).map((p) => p.url);
    expect(part2).toHaveLength(2);
    expect(part2[0]).not.toBe(part2[1]);
    expect(server.urlBatches.filter((b) => b.includes(2))).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it("fails without retrying when asking for URLs is refused (signed out)", async () => {
    const server = new FakeServer(PS);
    const json = server.json.bind(server);
    server.json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      if (path.endsWith("/parts")) throw new UploadHttpError(401, "unauthorized", "Sign in");
      return json<T>(method, path, body);
    };
    const { uploader, sleeps } = setup(server);
    uploader.add([makeFile("a.mp4", 2 * PS)]);
    uploader.start();
    const [item] = await settle(uploader);
    expect(item?.phase).toBe("failed");
    expect(item?.message).toMatch(/Sign in/);
    expect(server.puts).toHaveLength(0);
    expect(sleeps).toEqual([]);
  });
});

describe("Uploader: resume", () => {
  it("skips the parts the server already has", async () => {
    const server = new FakeServer(PS);
    const file = makeFile("film.mp4", 4 * PS + 10);
    const seeded = await server.seed(file.blob, [1, 2, 4]);
    const storage = new MemoryStorage();
    storage.setItem(
      "reelgate.upload.film.mp4|4106|1700000000000",
      JSON.stringify({
        fingerprint: "film.mp4|4106|1700000000000",
        uploadId: seeded.id,
        fileName: "film.mp4",
        size: file.size,
        lastModified: file.lastModified,
        title: "The Film",
        description: "saved",
        savedAt: 1,
      }),
    );
    const { uploader } = setup(server, { storage });
    expect(uploader.rememberedUploads().map((e) => e.fileName)).toEqual(["film.mp4"]);

    uploader.add([file]);
    const [pending] = uploader.getSnapshot();
    expect(pending?.resuming).toBe(true);
    expect(pending?.title).toBe("The Film");
    expect(uploader.rememberedUploads()).toEqual([]);

    uploader.start();
    const [item] = await settle(uploader);
    expect(item?.phase).toBe("complete");
    expect(server.puts.map((p) => p.partNumber).sort()).toEqual([3, 5]);
    expect(server.callsTo("POST", /^\/api\/admin\/uploads$/)).toHaveLength(0);
    expect(server.completeBodies()[0]).toEqual([
      { partNumber: 1, etag: '"seed-1"' },
      { partNumber: 2, etag: '"seed-2"' },
      { partNumber: 3, etag: '"etag-3-1"' },
      { partNumber: 4, etag: '"seed-4"' },
      { partNumber: 5, etag: '"etag-5-1"' },
    ]);
    expect(server.uploads.get(seeded.id)?.assembled).toEqual(file.data);
    expect(storage.length).toBe(0);
  });

  it("continues after a page reload with a new uploader on the same storage", async () => {
    const server = new FakeServer(PS);
    const storage = new MemoryStorage();
    server.putOutcome = (n) => (n >= 3 ? "hang" : "ok");
    const first = setup(server, { storage, partsPerFile: 1 });
    const file = makeFile("long.webm", 5 * PS, { type: "video/webm" });
    first.uploader.add([file]);
    first.uploader.start();
    await waitFor(() => server.aborted.length === 0 && server.puts.length === 3);
    first.uploader.dispose(); // the tab goes away mid-part
    await waitFor(() => server.aborted.length === 1);

    server.putOutcome = () => "ok";
    server.puts.length = 0;
    const second = setup(server, { storage });
    const [entry] = second.uploader.rememberedUploads();
    expect(entry?.fileName).toBe("long.webm");
    expect(entry?.title).toBe("long");
    // The admin picks the same file again (a new File object with the same metadata).
    second.uploader.add([makeFile("long.webm", 5 * PS, { type: "video/webm" })]);
    second.uploader.start();
    const [item] = await settle(second.uploader);
    expect(item?.phase).toBe("complete");
    expect(server.puts.map((p) => p.partNumber).sort()).toEqual([3, 4, 5]);
    expect(server.uploads.get(item!.uploadId!)?.assembled).toEqual(file.data);
    expect(storage.length).toBe(0);
  });

  it("a different file with the same name does not resume", async () => {
    const server = new FakeServer(PS);
    const storage = new MemoryStorage();
    const seeded = await server.seed(makeFile("x.mp4", 3 * PS).blob, [1]);
    storage.setItem(
      "reelgate.upload.x.mp4|3072|5",
      JSON.stringify({
        fingerprint: "x.mp4|3072|5",
        uploadId: seeded.id,
        fileName: "x.mp4",
        size: 3 * PS,
        lastModified: 5,
        title: "x",
        description: "",
        savedAt: 1,
      }),
    );
    const { uploader } = setup(server, { storage });
    uploader.add([makeFile("x.mp4", 3 * PS, { lastModified: 6 })]);
    expect(uploader.getSnapshot()[0]?.resuming).toBe(false);
    uploader.start();
    await settle(uploader);
    expect(server.callsTo("POST", /^\/api\/admin\/uploads$/)).toHaveLength(1);
    expect(server.puts).toHaveLength(3);
  });

  it("starts over when the remembered upload is gone on the server", async () => {
    const server = new FakeServer(PS);
    const storage = new MemoryStorage();
    const file = makeFile("gone.mp4", 2 * PS);
    const fp = `gone.mp4|${2 * PS}|${file.lastModified}`;
    storage.setItem(
      `reelgate.upload.${fp}`,
      JSON.stringify({
        fingerprint: fp,
        uploadId: "up-missing",
        fileName: "gone.mp4",
        size: file.size,
        lastModified: file.lastModified,
        title: "Gone",
        description: "",
        savedAt: 1,
      }),
    );
    const { uploader } = setup(server, { storage });
    uploader.add([file]);
    uploader.start();
    const [item] = await settle(uploader);
    expect(item?.phase).toBe("complete");
    expect(server.callsTo("GET", /up-missing$/)).toHaveLength(1);
    expect(server.callsTo("POST", /^\/api\/admin\/uploads$/)[0]?.body).toMatchObject({
      title: "Gone",
    });
    expect(server.puts.map((p) => p.partNumber).sort()).toEqual([1, 2]);
  });

  it("treats a 409 on complete as done when the server says the upload is completed", async () => {
    const server = new FakeServer(PS);
    const { uploader } = setup(server);
    const json = server.json.bind(server);
    server.json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      if (path.endsWith("/complete")) {
        // The first complete succeeds on the server but its answer is lost.
        await json(method, path, body);
        throw new UploadHttpError(409, "conflict", "Upload already completed");
      }
      return json<T>(method, path, body);
    };
    uploader.add([makeFile("a.mp4", 2 * PS)]);
    uploader.start();
    const [item] = await settle(uploader);
    expect(item?.phase).toBe("complete");
    expect(item?.videoId).toMatch(/^vid-/);
  });

  it("forgetting a remembered upload cancels it on the server", async () => {
    const server = new FakeServer(PS);
    const storage = new MemoryStorage();
    const seeded = await server.seed(makeFile("f.mp4", 2 * PS).blob, [1]);
    storage.setItem(
      "reelgate.upload.k",
      JSON.stringify({
        fingerprint: "k",
        uploadId: seeded.id,
        fileName: "f.mp4",
        size: 2 * PS,
        lastModified: 1,
        title: "f",
        description: "",
        savedAt: 1,
      }),
    );
    const { uploader } = setup(server, { storage });
    await uploader.forgetRemembered("k");
    expect(uploader.rememberedUploads()).toEqual([]);
    expect(server.callsTo("DELETE", new RegExp(`${seeded.id}$`))).toHaveLength(1);
    expect(server.uploads.has(seeded.id)).toBe(false);
  });
});

describe("Uploader: cancel", () => {
  it("aborts parts in flight, deletes the upload on the server and forgets it", async () => {
    const server = new FakeServer(PS);
    server.putOutcome = (n) => (n >= 2 ? "hang" : "ok");
    const { uploader, storage } = setup(server);
    const [key] = uploader.add([makeFile("a.mp4", 6 * PS)]);
    uploader.start();
    // Part 1 done, parts 2-4 hanging in flight.
    await waitFor(() => server.puts.length === 4);
    const uploadId = uploader.getSnapshot()[0]!.uploadId!;
    expect(storage.length).toBe(1);

    await uploader.cancel(key!);
    const [item] = uploader.getSnapshot();
    expect(item?.phase).toBe("cancelled");
    expect(server.aborted.sort()).toEqual([2, 3, 4]);
    expect(server.callsTo("DELETE", new RegExp(`${uploadId}$`))).toHaveLength(1);
    expect(server.uploads.has(uploadId)).toBe(false);
    expect(server.completeBodies()).toHaveLength(0);
    expect(storage.length).toBe(0);
    const putsAtCancel = server.puts.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(server.puts.length).toBe(putsAtCancel);
  });

  it("a cancel during create still deletes the upload the server created", async () => {
    const server = new FakeServer(PS);
    const { uploader } = setup(server);
    const [key] = uploader.add([makeFile("a.mp4", 2 * PS)]);
    uploader.start();
    await uploader.cancel(key!);
    expect(uploader.getSnapshot()[0]?.phase).toBe("cancelled");
    expect(server.callsTo("POST", /^\/api\/admin\/uploads$/)).toHaveLength(1);
    expect(server.callsTo("DELETE", /\/api\/admin\/uploads\/up-1$/)).toHaveLength(1);
    expect(server.puts).toHaveLength(0);
  });

  it("cancelling a queued file lets the next one start and never touches the server", async () => {
    const server = new FakeServer(PS);
    const { uploader } = setup(server, { concurrentFiles: 1 });
    const [, second] = uploader.add([makeFile("a.mp4", PS), makeFile("b.mp4", PS, { seed: 3 })]);
    uploader.start();
    await uploader.cancel(second!);
    const items = await settle(uploader);
    expect(items.map((i) => i.phase)).toEqual(["complete", "cancelled"]);
    expect(server.callsTo("POST", /^\/api\/admin\/uploads$/)).toHaveLength(1);
  });
});

describe("Uploader: refusals", () => {
  it.each([
    ["notes.txt", "text/plain", 10, /Not a supported video file/],
    ["clip.mp4", "application/pdf", 10, /Not a video file/],
    ["clip.mp4", "video/mp4", 0, /empty/],
    ["huge.mov", "video/quicktime", 10 * 1024 ** 3 + 1, /10 GiB/],
  ])("refuses %s (%s, %d bytes) before sending anything", (name, type, size, reason) => {
    const server = new FakeServer(PS);
    const { uploader } = setup(server);
    const blob = new Blob([]);
    uploader.add([{ name, type, size, lastModified: 1, slice: () => blob }]);
    uploader.start();
    const [item] = uploader.getSnapshot();
    expect(item?.phase).toBe("refused");
    expect(item?.message).toMatch(reason);
    expect(server.calls).toHaveLength(0);
  });

  it("accepts exactly 10 GiB", () => {
    const { uploader } = setup(new FakeServer(PS));
    const blob = new Blob([]);
    uploader.add([
      {
        name: "x.mp4",
        type: "video/mp4",
        size: 10 * 1024 ** 3,
        lastModified: 1,
        slice: () => blob,
      },
    ]);
    expect(uploader.getSnapshot()[0]?.phase).toBe("pending");
  });

  it.each([413, 415, 422])("shows the server's message when it refuses with %d", async (status) => {
    const server = new FakeServer(PS);
    server.createError = new UploadHttpError(status, "x", `Server says no (${status})`);
    const { uploader, storage } = setup(server);
    uploader.add([makeFile("a.mp4", PS)]);
    uploader.start();
    const [item] = await settle(uploader);
    expect(item?.phase).toBe("refused");
    expect(item?.message).toBe(`Server says no (${status})`);
    expect(server.puts).toHaveLength(0);
    expect(storage.length).toBe(0);
  });

  it("refuses the same file twice in the list", () => {
    const { uploader } = setup(new FakeServer(PS));
    uploader.add([makeFile("a.mp4", PS)]);
    uploader.add([makeFile("a.mp4", PS)]);
    const items = uploader.getSnapshot();
    expect(items.map((i) => i.phase)).toEqual(["pending", "refused"]);
    expect(items[1]?.message).toMatch(/already in the list/);
  });
});

describe("Uploader: progress", () => {
  it("reports in-flight bytes, speed and time left", async () => {
    const server = new FakeServer(1000);
    let clock = 0;
    // Each part takes 500 ms of fake time: 250 ms to its halfway progress event, 250 more.
    const put = server.putPart.bind(server);
    server.putPart = (req) =>
      put({
        ...req,
        onProgress: (loaded) => {
          clock += 250;
          req.onProgress(loaded);
        },
      });
    const { uploader, history } = setup(server, { now: () => clock, partsPerFile: 1 });
    uploader.add([makeFile("a.mp4", 4000)]);
    uploader.start();
    await settle(uploader);

    const seen = history.map((h) => h[0]!).filter((i) => i.phase === "uploading");
    const sent = seen.map((i) => i.progress.bytesSent);
    expect(sent).toContain(500); // half of part 1, still in flight
    expect(sent).toContain(1500);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent); // never goes backwards

    const at2000 = seen.findLast((i) => i.progress.bytesSent === 2000)!;
    expect(at2000.progress.percent).toBe(50);
    expect(at2000.progress.bytesPerSecond).toBe(2000); // 1000 B per 500 ms
    expect(at2000.progress.secondsLeft).toBe(1);
    expect(at2000.partsDone).toBe(2);
    expect(at2000.partCount).toBe(4);
  });

  it("gives back the bytes of a failed attempt", async () => {
    const server = new FakeServer(PS);
    server.putOutcome = (_n, attempt) => (attempt === 1 ? { status: 500 } : "ok");
    const { uploader, history } = setup(server, { partsPerFile: 1 });
    uploader.add([makeFile("a.mp4", PS)]);
    uploader.start();
    await settle(uploader);
    const sent = history.map((h) => h[0]!.progress.bytesSent);
    const half = PS / 2;
    const firstHalf = sent.indexOf(half);
    expect(firstHalf).toBeGreaterThanOrEqual(0);
    expect(sent.slice(firstHalf)).toContain(0);
    expect(sent.at(-1)).toBe(PS);
  });

  it("throttles progress pushes but always pushes state changes", async () => {
    const server = new FakeServer(PS);
    const { uploader, history } = setup(server, {
      now: () => 0,
      progressIntervalMs: 1_000_000,
    });
    uploader.add([makeFile("a.mp4", 9 * PS)]);
    uploader.start();
    await settle(uploader);
    const phases = history.map((h) => h[0]!.phase);
    expect(phases).toContain("uploading");
    expect(phases).toContain("completing");
    expect(phases.at(-1)).toBe("complete");
    const progressOnly = history.filter(
      (h, i) => i > 0 && h[0]!.phase === "uploading" && history[i - 1]![0]!.phase === "uploading",
    );
    expect(progressOnly.length).toBeLessThan(9);
  });
});

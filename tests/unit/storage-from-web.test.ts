import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { readableFromWeb } from "@/lib/storage/from-web";

// A request body as the API server gets it: undici's web stream over a Node stream.
function requestBody(chunks: number, bytes: number): ReadableStream<Uint8Array> {
  const source = Readable.from(Array.from({ length: chunks }, () => Buffer.alloc(bytes, 97)));
  const init = { method: "PUT", body: source as unknown as BodyInit, duplex: "half" };
  return new Request("http://x/", init).body!;
}

/** Copies a body through a byte cap, as a part upload is stored. */
async function capped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<string> {
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBytes ? new Error("over the cap") : null, chunk);
    },
  });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return pipeline(readableFromWeb(body), meter, sink).then(
    () => `${size} bytes`,
    (err: Error) => err.message,
  );
}

describe("readableFromWeb", () => {
  it("passes a body through whole", async () => {
    expect(await capped(requestBody(5, 11), 100)).toBe("55 bytes");
    expect(await capped(requestBody(0, 0), 100)).toBe("0 bytes");
  });

  it.each([
    [1, 11, 10],
    [5, 11, 30],
    [1000, 11, 5000],
  ])(
    "stops %i chunks of %i bytes at a cap of %i with no uncaught exception",
    async (chunks, bytes, cap) => {
      const uncaught: unknown[] = [];
      const record = (err: unknown) => uncaught.push(err);
      process.on("uncaughtException", record);
      try {
        expect(await capped(requestBody(chunks, bytes), cap)).toBe("over the cap");
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        process.off("uncaughtException", record);
      }
      expect(uncaught).toEqual([]);
    },
  );
});

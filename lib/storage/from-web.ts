import "server-only";
import { Readable } from "node:stream";

/**
 * A Node stream over a web stream, like `Readable.fromWeb`, except that it cancels
 * the web stream only once no read is pending. A request body (undici's stream over
 * the socket) closes itself in a microtask after its last read; `Readable.fromWeb`
 * reads ahead and cancels at once when the pipeline fails (a part over its size), so
 * that close then throws "Invalid state: ReadableStream is already closed" as an
 * uncaught exception in the API server.
 */
export function readableFromWeb(stream: ReadableStream<Uint8Array>): Readable {
  const reader = stream.getReader();
  let reading: Promise<void> = Promise.resolve();
  return new Readable({
    read() {
      reading = reader.read().then(
        ({ done, value }) => void this.push(done ? null : value),
        (err: unknown) => void this.destroy(err instanceof Error ? err : new Error(String(err))),
      );
    },
    destroy(err, callback) {
      reading
        .then(() => reader.cancel(err ?? undefined))
        .catch(() => undefined)
        .finally(() => callback(err));
    },
  });
}

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readJson, readText } from "@/lib/api/read-json";
import { AppError } from "@/lib/errors";

// A streamed body with no Content-Length, as a chunked upload arrives.
function chunked(text: string, type: string): Request {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += 1000) c.enqueue(bytes.subarray(i, i + 1000));
      c.close();
    },
  });
  return new Request("http://x/", {
    method: "PUT",
    body,
    headers: { "content-type": type },
    duplex: "half",
  } as RequestInit);
}

const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: unknown) => (e instanceof AppError ? e.status : 500),
  );

describe("request bodies", () => {
  const vtt = { maxBytes: 5000, type: /^text\/vtt\b/i, typeMessage: "Send text/vtt." };

  it("reads a body within the cap", async () => {
    await expect(readText(chunked("WEBVTT\n\n", "text/vtt"), vtt)).resolves.toBe("WEBVTT\n\n");
  });

  it.each([
    ["a chunked body over the cap", chunked("x".repeat(6000), "text/vtt"), 413],
    ["the wrong content type", chunked("WEBVTT", "application/json"), 415],
    ["a charset other than UTF-8", chunked("WEBVTT", "text/vtt; charset=utf-16"), 415],
    ["a quoted latin-1 charset", chunked("WEBVTT", 'text/vtt; charset="iso-8859-1"'), 415],
  ])("refuses %s", async (_name, req, expected) => {
    expect(await status(readText(req, vtt))).toBe(expected);
  });

  it("readJson takes application/json with parameters", async () => {
    const req = chunked('{"n":1}', "Application/JSON ; charset=utf-8");
    await expect(readJson(req, z.object({ n: z.number() }))).resolves.toEqual({ n: 1 });
    const quoted = chunked('{"n":2}', 'application/json; charset="UTF8"');
    await expect(readJson(quoted, z.object({ n: z.number() }))).resolves.toEqual({ n: 2 });
  });

  it.each([
    ["not JSON", chunked("{nope", "application/json"), 400],
    ["a NUL in a string", chunked('{"n":1,"s":"a\\u0000"}', "application/json"), 422],
    ["a NUL in a nested string", chunked('{"n":1,"a":[{"s":"\\u0000"}]}', "application/json"), 422],
    ["another type that starts with application/json", chunked("{}", "application/json-seq"), 415],
    ["the wrong shape", chunked('{"n":"1"}', "application/json"), 422],
    [
      "a chunked body over the cap",
      chunked(`{"n":"${"1".repeat(70_000)}"}`, "application/json"),
      413,
    ],
  ])("readJson refuses %s", async (_name, req, expected) => {
    const p = readJson(req, z.object({ n: z.number() }));
    const got = await p.then(
      () => 200,
      (e: unknown) => (e instanceof AppError ? e.status : e instanceof z.ZodError ? 422 : 500),
    );
    expect(got).toBe(expected);
  });
});

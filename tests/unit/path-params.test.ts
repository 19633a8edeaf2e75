import { describe, expect, it } from "vitest";
import { userParams } from "@/lib/auth/schemas";
import { partParams, uploadParams } from "@/lib/uploads/schemas";
import { captionParams, catalogQuery, videoParams } from "@/lib/videos/schemas";

// Path parameters are checked before any query: a NUL reaching Postgres is a 500.
const hostile = ["", "a".repeat(33), "' OR 1=1 --", "../../etc/passwd", "abc\0defgh", "vidéo1234"];

describe("path parameters", () => {
  it.each(hostile)("refuses the id %j, naming the parameter", (id) => {
    for (const schema of [videoParams, uploadParams, userParams]) {
      const result = schema.safeParse({ id });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(["id"]);
    }
  });

  it("takes the ids the server makes", () => {
    expect(videoParams.parse({ id: "abcdefgh1234" })).toEqual({ id: "abcdefgh1234" });
    expect(uploadParams.parse({ id: "abcdefgh12345678" })).toEqual({ id: "abcdefgh12345678" });
    const uuid = "00000000-0000-4000-8000-000000000000";
    expect(userParams.parse({ id: uuid })).toEqual({ id: uuid });
    expect(captionParams.parse({ id: "abcdefgh1234", lang: "pt-BR" }).lang).toBe("pt-BR");
  });

  it.each([
    ["1", 1],
    ["10000", 10000],
    ["0", null],
    ["01", null],
    ["0x1", null],
    ["1e3", null],
    [" 1", null],
    ["1.0", null],
    ["123456", null],
  ])("reads the part number %j as %j", (part, expected) => {
    const result = partParams.safeParse({ id: "abcdefgh12345678", part });
    expect(result.success ? result.data.part : null).toBe(expected);
  });

  it("refuses a NUL in the catalog search", () => {
    expect(catalogQuery.safeParse({ q: "a\0b" }).success).toBe(false);
    expect(catalogQuery.parse({ q: " ' OR 1=1 -- " }).q).toBe("' OR 1=1 --");
  });
});

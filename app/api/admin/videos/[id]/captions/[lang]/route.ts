import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { readText } from "@/lib/api/read-json";
import { MAX_VTT_BYTES, putCaptions } from "@/lib/videos/admin";
import { captionParams } from "@/lib/videos/schemas";
import { otherMethods } from "@/lib/api/methods";

// PUT /api/admin/videos/{id}/captions/{lang} - attach a WebVTT file (text/vtt body)
export const PUT = withSession<{ id: string; lang: string }>(
  async ({ req, params }) => {
    const { id, lang } = captionParams.parse(params);
    // Read with the cap enforced while reading: a chunked body has no Content-Length.
    const body = await readText(req, {
      maxBytes: MAX_VTT_BYTES,
      type: /^text\/(?:vtt|plain)\s*(?:;|$)/i,
      typeMessage: "Send the captions as text/vtt.",
    });
    return json(await putCaptions(id, lang, body));
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { GET, POST, PATCH, DELETE, OPTIONS } = otherMethods("PUT");

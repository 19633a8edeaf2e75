import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { readText } from "@/lib/api/read-json";
import { MAX_VTT_BYTES, putCaptions } from "@/lib/videos/admin";
import { captionLang, videoId } from "@/lib/videos/schemas";

// PUT /api/admin/videos/{id}/captions/{lang} - attach a WebVTT file (text/vtt body)
export const PUT = withSession<{ id: string; lang: string }>(
  async ({ req, params }) => {
    const id = videoId.parse(params.id);
    const lang = captionLang.parse(params.lang);
    // Read with the cap enforced while reading: a chunked body has no Content-Length.
    const body = await readText(req, {
      maxBytes: MAX_VTT_BYTES,
      type: /^(text\/vtt|text\/plain)\b/i,
      typeMessage: "Send the captions as text/vtt.",
    });
    return json(await putCaptions(id, lang, body));
  },
  { role: "admin" },
);

import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { AppError } from "@/lib/errors";
import { putCaptions } from "@/lib/videos/admin";
import { captionLang, videoId } from "@/lib/videos/schemas";

const MAX = 2 * 1024 * 1024;

// PUT /api/admin/videos/{id}/captions/{lang} - attach a WebVTT file (text/vtt body)
export const PUT = withSession<{ id: string; lang: string }>(
  async ({ req, params }) => {
    const id = videoId.parse(params.id);
    const lang = captionLang.parse(params.lang);
    const type = req.headers.get("content-type") ?? "";
    if (!/^(text\/vtt|text\/plain)\b/i.test(type)) {
      throw new AppError("unsupported_media_type", "Send the captions as text/vtt.");
    }
    if (Number(req.headers.get("content-length") ?? 0) > MAX) {
      throw new AppError("payload_too_large", "Caption files are limited to 2 MB.");
    }
    return json(await putCaptions(id, lang, await req.text()));
  },
  { role: "admin" },
);

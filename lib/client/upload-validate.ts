// Refuse obviously wrong files before a byte is sent. The server checks the same
// things again (413/415/422); this only saves the admin a pointless upload.

/** 10 GiB, the server's limit as well. */
export const MAX_UPLOAD_BYTES = 10 * 1024 ** 3;

/** Extensions the transcoder accepts, with the MIME type to send when the browser gives none. */
export const VIDEO_EXTENSIONS: Readonly<Record<string, string>> = {
  mp4: "video/mp4",
  mov: "video/quicktime",
  m4v: "video/x-m4v",
  mkv: "video/x-matroska",
  webm: "video/webm",
  avi: "video/x-msvideo",
};

export function fileExtension(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : "";
}

/** File name without its extension: the default title. */
export function titleFromFileName(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  const base = dot > 0 ? fileName.slice(0, dot) : fileName;
  return base.trim() || fileName;
}

/**
 * Browsers leave `type` empty for types the OS does not know (often .mkv), so an
 * empty type is fine when the extension is; a non-video type is not.
 */
export function contentTypeFor(fileName: string, type: string): string {
  if (type) return type;
  return VIDEO_EXTENSIONS[fileExtension(fileName)] ?? "application/octet-stream";
}

/** Why a file cannot be uploaded, or null when it may. */
export function refusalReason(file: { name: string; type: string; size: number }): string | null {
  const ext = fileExtension(file.name);
  if (!(ext in VIDEO_EXTENSIONS)) {
    const allowed = Object.keys(VIDEO_EXTENSIONS)
      .map((e) => `.${e}`)
      .join(" ");
    return `Not a supported video file (${ext ? `.${ext}` : "no extension"}); use ${allowed}`;
  }
  if (file.type && !file.type.startsWith("video/")) {
    return `Not a video file (type ${file.type})`;
  }
  if (file.size === 0) return "The file is empty";
  if (file.size > MAX_UPLOAD_BYTES) return "The file is larger than 10 GiB";
  return null;
}

// CloudFront's variant of base64: '+' -> '-', '=' -> '_', '/' -> '~', padding kept.
const URL_SAFE_BASE64 = /^[A-Za-z0-9~-]*_{0,2}$/;

/**
 * Decodes CloudFront's URL-safe base64, or returns undefined when `text` is not exactly the
 * canonical encoding of some bytes.
 *
 * Buffer's decoder is lenient (it skips junk and ignores the unused low bits of the last
 * character), which would give one credential many spellings: a flipped bit in the last
 * character of a signature would still verify. Re-encoding and comparing refuses those.
 */
export function decodeUrlSafeBase64(text: string, maxChars: number): Buffer | undefined {
  if (text.length === 0 || text.length > maxChars || text.length % 4 !== 0) return undefined;
  if (!URL_SAFE_BASE64.test(text)) return undefined;
  const standard = text.replaceAll("-", "+").replaceAll("_", "=").replaceAll("~", "/");
  const bytes = Buffer.from(standard, "base64");
  return bytes.toString("base64") === standard ? bytes : undefined;
}

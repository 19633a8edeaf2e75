import { ACCEPTED_DEMUXERS } from "./containers";

/** A presigned object URL (S3): the tools read it over https. */
export function isRemote(source: string): boolean {
  return source.startsWith("https://");
}

/**
 * The input arguments of every ffprobe and ffmpeg run on an upload: one source, read with
 * one of the accepted demuxers through one protocol, and nothing else.
 *
 * - `file:` stops a name like `concat:a|b` or `http://…` being taken as a protocol.
 * - `-protocol_whitelist` limits what any demuxer may open to that one protocol.
 * - `-format_whitelist` stops the tools choosing a demuxer from the file's content: an
 *   ".mp4" that holds an HLS playlist, a DASH manifest or an ffconcat script would
 *   otherwise be opened as one, and that demuxer follows the references inside it
 *   (another upload's original, or any https URL in S3 mode) before anything can refuse it.
 */
export function inputArgs(source: string): string[] {
  const formats = ["-format_whitelist", ACCEPTED_DEMUXERS.join(",")];
  return isRemote(source)
    ? ["-protocol_whitelist", "https,tls,tcp", ...formats, "-i", source]
    : ["-protocol_whitelist", "file", ...formats, "-i", `file:${source}`];
}

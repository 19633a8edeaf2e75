import "server-only";
import { spawn } from "node:child_process";
import path from "node:path";
import { MediaError } from "./media-error";

export interface RunToolOptions {
  signal?: AbortSignal;
  /** Called with each stdout chunk; without it stdout is collected and returned. */
  onStdout?: (text: string) => void;
  /** Kills the process after this long and fails with `failed`. */
  timeoutMs?: number;
  /** Strings (server paths) replaced by their base name in the error tail. */
  redact?: string[];
}

export interface RunToolResult {
  exitCode: number | null;
  stdout: string;
  /** The last few stderr lines, paths redacted; empty when the tool was quiet. */
  stderrTail: string;
}

const STDERR_KEEP = 4096;
const STDOUT_MAX = 16 * 1024 * 1024;

/**
 * Runs ffmpeg or ffprobe without a shell. Resolves with the exit code whatever it is;
 * rejects only when the tool cannot start (`ffmpeg_missing`), is aborted or times out.
 */
export function runTool(
  file: string,
  args: string[],
  opts: RunToolOptions = {},
): Promise<RunToolResult> {
  const { signal, onStdout, timeoutMs, redact = [] } = opts;
  const toolName = path.basename(file);
  if (signal?.aborted) {
    return Promise.reject(
      new MediaError("aborted", "The transcode was cancelled", { cause: signal.reason }),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    let stdout = "";
    let stderr = "";
    let stopped: MediaError | undefined;
    let spawnError: NodeJS.ErrnoException | undefined;

    const stop = (error: MediaError) => {
      stopped ??= error;
      // SIGKILL, not SIGTERM: on SIGTERM ffmpeg finishes writing its outputs, which only
      // delays the cleanup that follows.
      child.kill("SIGKILL");
    };
    const onAbort = () =>
      stop(new MediaError("aborted", "The transcode was cancelled", { cause: signal?.reason }));
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => stop(new MediaError("failed", `${toolName} timed out`)), timeoutMs);

    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => {
      if (onStdout) onStdout(text);
      else if (stdout.length < STDOUT_MAX) stdout += text;
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      stderr = (stderr + text).slice(-STDERR_KEEP);
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      spawnError = err;
    });
    child.on("close", (exitCode) => {
      signal?.removeEventListener("abort", onAbort);
      if (timer) clearTimeout(timer);
      if (stopped) return reject(stopped);
      if (spawnError) {
        const missing = spawnError.code === "ENOENT" || spawnError.code === "EACCES";
        return reject(
          missing
            ? new MediaError(
                "ffmpeg_missing",
                `${toolName} is not available: install ffmpeg or set FFMPEG_PATH/FFPROBE_PATH`,
                { cause: spawnError },
              )
            : new MediaError(
                "failed",
                `${toolName} could not start (${spawnError.code ?? "error"})`,
                {
                  cause: spawnError,
                },
              ),
        );
      }
      resolve({ exitCode, stdout, stderrTail: tailLines(stderr, redact) });
    });
  });
}

/** The last lines of a tool's stderr, with server paths cut to base names. */
export function tailLines(text: string, redact: string[], maxLines = 3, maxChars = 300): string {
  let out = text;
  for (const p of redact.filter(Boolean).sort((a, b) => b.length - a.length)) {
    out = out.split(p).join(path.basename(p));
  }
  const lines = out
    .split(/\r?\n/)
    .map((l) => l.replace(/^\[[\w,]+ @ 0x[0-9a-f]+\]\s*/, "").trim())
    .filter(Boolean);
  const tail = lines.slice(-maxLines).join("; ");
  return tail.length > maxChars ? `…${tail.slice(-maxChars)}` : tail;
}

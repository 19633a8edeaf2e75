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
  /** The error a timeout fails with (default: `failed`, "<tool> timed out"). */
  timeoutError?: MediaError;
  /**
   * Caps the tool's data segment (RLIMIT_DATA, which counts its heap and anonymous
   * memory): an allocation past it fails and the tool exits, instead of one hostile
   * source taking the machine's memory. Linux only; elsewhere the tool runs uncapped.
   */
  maxMemoryBytes?: number;
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
  const { signal, onStdout, timeoutMs, redact = [], maxMemoryBytes } = opts;
  const toolName = path.basename(file);
  if (signal?.aborted) {
    return Promise.reject(
      new MediaError("aborted", "The transcode was cancelled", { cause: signal.reason }),
    );
  }
  return new Promise((resolve, reject) => {
    // Node cannot set a child's rlimits, so a capped run goes through `sh -c 'ulimit'`,
    // which then execs the tool (same process, so the kill below still reaches it). The
    // arguments stay positional: nothing of them is parsed by the shell.
    const capped = maxMemoryBytes !== undefined && process.platform === "linux";
    const child = capped
      ? spawn(
          "/bin/sh",
          [
            "-c",
            'ulimit -d "$1" && shift && exec "$@"',
            "sh",
            String(Math.floor(maxMemoryBytes / 1024)),
            file,
            ...args,
          ],
          { stdio: ["ignore", "pipe", "pipe"], windowsHide: true },
        )
      : spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
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
        : setTimeout(
            () => stop(opts.timeoutError ?? new MediaError("failed", `${toolName} timed out`)),
            timeoutMs,
          );

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
      // Through the shell, a tool that is not there is its exit 127 (126: not runnable).
      if (capped && !spawnError && (exitCode === 127 || exitCode === 126)) {
        spawnError = Object.assign(new Error(stderr.trim()), {
          code: exitCode === 127 ? "ENOENT" : "EACCES",
        });
      }
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

/**
 * The supervisor's log collector (`npm start`): the API server's output and the
 * supervisor's and edge's own records arrive in chunks; each complete line leaves as one
 * JSON object, for the terminal and for DATA_DIR/logs/reelgate.log. A line that is not
 * one of the loggers' records (a crash's stack written by Node itself, output from before
 * the logger existed) is wrapped into one, so that every line of the file parses.
 */

/** The API server's record of a generated first admin; the file gets it without the password. */
const FIRST_ADMIN_EVENT = '"event":"first-admin"';

export class LogLines {
  private readonly pending = new Map<string, string>();
  private terminal: string[] = [];
  private file: string[] = [];
  private scheduled = false;

  /**
   * `emit(lines, forFile)`: complete lines for the terminal, and the same for the log
   * file. Lines are written in batches, once per turn of the event loop: under load the
   * edge and the API server make thousands a second, and a write per line cost the edge
   * (which shares this process) half its throughput.
   */
  constructor(private readonly emit: (lines: string[], forFile: string[]) => void) {}

  /** Writes what is queued now (before the process exits). */
  flush(): void {
    this.scheduled = false;
    if (this.terminal.length === 0) return;
    const [terminal, file] = [this.terminal, this.file];
    this.terminal = [];
    this.file = [];
    this.emit(terminal, file);
  }

  /** Text from `source` ("api", "api:stderr", "edge", "supervisor"). */
  push(source: string, text: string): void {
    const all = (this.pending.get(source) ?? "") + text;
    const parts = all.split("\n");
    this.pending.set(source, parts.pop() ?? "");
    for (const raw of parts) {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line.trim() === "") continue;
      const record = isRecord(line) ? line : wrap(source, line);
      this.terminal.push(record);
      this.file.push(record.includes(FIRST_ADMIN_EVENT) ? withoutPassword(record) : record);
    }
    if (!this.scheduled && this.terminal.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }
}

// The loggers' records start with their level (lib/observability/logger.ts); checking the
// shape is enough and costs nothing next to parsing every line.
function isRecord(line: string): boolean {
  return line.startsWith('{"level":"') && line.endsWith("}");
}

function wrap(source: string, line: string): string {
  const [processName, stream] = source.split(":");
  return JSON.stringify({
    level: stream === "stderr" ? "error" : "info",
    time: new Date().toISOString(),
    process: processName,
    msg: line,
  });
}

/** The generated password is shown on the terminal once, never kept in the log. */
function withoutPassword(line: string): string {
  try {
    const record = JSON.parse(line) as { email?: string; msg?: string };
    record.msg = `created the first admin: ${record.email ?? "?"} / <see admin-credentials.txt>`;
    return JSON.stringify(record);
  } catch {
    return wrap("api", "created the first admin (see admin-credentials.txt)");
  }
}

const LEVEL_WIDTH = 5;

/** A record as a person reads it on a terminal: `12:00:01 info  [edge] request GET /x 200`. */
export function readableLine(line: string): string {
  try {
    const {
      level,
      time,
      process: proc,
      pid,
      msg,
      component,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    void pid;
    const clock = typeof time === "string" ? time.slice(11, 19) : "";
    const who = component ? `${text(proc)}/${text(component)}` : text(proc);
    const extra = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    return `${clock} ${text(level).padEnd(LEVEL_WIDTH)} [${who}] ${text(msg ?? "")}${extra ? " " + extra : ""}\n`;
  } catch {
    return line + "\n";
  }
}

// A field of a record as text: strings as they are, anything else as JSON.
function text(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

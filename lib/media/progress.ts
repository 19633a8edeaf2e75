/**
 * Turns ffmpeg `-progress` output (key=value lines, in arbitrary chunks) into whole
 * percents of `durationSeconds`. Reports only increases, and stops at `ceiling` so the
 * caller can say 100 once everything after the encode is done too.
 */
export function progressParser(
  durationSeconds: number,
  onPercent: (percent: number) => void,
  ceiling = 99,
): { push(chunk: string): void; lastSeconds(): number } {
  let buffer = "";
  let last = -1;
  let seconds = 0;
  const report = (percent: number) => {
    const p = Math.min(ceiling, Math.max(0, Math.floor(percent)));
    if (p > last) {
      last = p;
      onPercent(p);
    }
  };
  return {
    push(chunk) {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        const eq = line.indexOf("=");
        const key = line.slice(0, eq).trim();
        const value = line.slice(eq + 1).trim();
        // out_time_us is N/A before the first packet, and negative for sources with an
        // edit list that starts before zero.
        if (key === "out_time_us" && /^\d+$/.test(value)) {
          seconds = Number(value) / 1e6;
          if (durationSeconds > 0) report((seconds / durationSeconds) * 100);
        } else if (key === "progress" && value === "end") {
          report(100);
        }
      }
    },
    lastSeconds: () => seconds,
  };
}

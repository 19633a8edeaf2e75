import "server-only";
import type { ProbeResult } from "./parse-probe";
import { planTranscode, type PlanOptions } from "./plan-transcode";
import { resolveFfmpeg } from "./resolve-ffmpeg";

/**
 * The bare one-pass ladder encode as a command line: `command ...args` does what
 * `transcode()` spends almost all its time on, with none of the wrapper (probe, poster,
 * progress parsing, playlist rewrite, temp folder). For the benchmark's overhead ratio.
 */
export function bareLadderCommand(
  input: string,
  outDir: string,
  probe: ProbeResult,
  options?: PlanOptions,
): { command: string; args: string[] } {
  return {
    command: resolveFfmpeg().ffmpeg,
    args: planTranscode(input, outDir, probe, options).args,
  };
}

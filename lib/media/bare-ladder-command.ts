import "server-only";
import type { ProbeResult } from "./parse-probe";
import { planTranscode, type PlanOptions } from "./plan-transcode";
import { resolveFfmpeg } from "./resolve-ffmpeg";
import { mediaLimits } from "./limits";

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
    // The same thread cap as transcode(), or the comparison would measure it.
    args: planTranscode(input, outDir, probe, { threads: mediaLimits().threads, ...options }).args,
  };
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** One row of a results table: a measure, its baseline from the same run, and the target. */
export interface Row {
  name: string;
  value: string;
  baseline: string;
  ratio: number | null;
  target: string;
  command: string;
}

/** A number for a results table: grouped thousands, a fixed count of decimals. */
export function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

/** What the results were measured on. */
export function machine() {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
  };
}

/**
 * Writes a run's JSON to `bench/results/<date><suffix>.json` (the date with `:` and `.`
 * made file-safe) and returns the path relative to the repository.
 */
export function writeResults(results: { date: string }, suffix: string): string {
  const root = process.cwd();
  mkdirSync(path.join(root, "bench", "results"), { recursive: true });
  const file = path.join(
    root,
    "bench",
    "results",
    `${results.date.replace(/[:.]/g, "-")}${suffix}.json`,
  );
  writeFileSync(file, JSON.stringify(results, null, 2));
  return path.relative(root, file);
}

/**
 * CPU seconds the whole machine has spent busy so far, all cores together (Linux
 * /proc/stat, in USER_HZ ticks of 1/100 s); null elsewhere. Against a run's own
 * processes it tells how much of the machine other work took meanwhile.
 */
export function machineBusySeconds(): number | null {
  if (!existsSync("/proc/stat")) return null;
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  // cpu user nice system idle iowait irq softirq steal guest guest_nice
  const [, ...ticks] = line.trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return (user + nice + system + irq + softirq + steal) / 100;
}

import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { bareLadderCommand, probe, transcode } from "@/lib/media";
const src = "/tmp/mbench/src1080.mp4";
const info = await probe(src);
async function bare(): Promise<number> {
  rmSync("/tmp/mbench/bare", { recursive: true, force: true });
  const { command, args } = bareLadderCommand(src, "/tmp/mbench/bare", info);
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const c = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"] });
    c.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
  return (performance.now() - t0) / 1000;
}
async function pipeline(): Promise<number> {
  rmSync("/tmp/mbench/pipe", { recursive: true, force: true });
  const t0 = performance.now();
  await transcode({ input: src, outDir: "/tmp/mbench/pipe" });
  return (performance.now() - t0) / 1000;
}
const order = (process.argv[2] ?? "bp").split("");
for (const step of order) {
  const s = step === "b" ? await bare() : await pipeline();
  console.log(step === "b" ? "bare    " : "pipeline", s.toFixed(1), "s", new Date().toISOString());
}

import { transcode } from "@/lib/media";
const t0 = performance.now();
if (process.argv[2] !== "noop")
  await transcode({ input: "/tmp/mbench/src1080.mp4", outDir: "/tmp/mbench/pipe" });
console.log("pipeline wall", ((performance.now() - t0) / 1000).toFixed(1));

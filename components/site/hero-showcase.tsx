import { PlayIcon } from "@/components/ui/icons";

const TILES = [
  { hue: 25, w: "62%" },
  { hue: 265, w: "35%" },
  { hue: 190, w: "80%" },
];

/** Decorative: a stylised player and a row of posters beside the hero copy. */
export function HeroShowcase() {
  return (
    <div aria-hidden="true" className="relative mx-auto w-full max-w-xl lg:max-w-none">
      <div className="absolute -inset-6 -z-10 rounded-[2rem] bg-linear-to-br from-accent/25 via-transparent to-[oklch(0.55_0.2_300/0.25)] blur-2xl" />
      <div className="overflow-hidden rounded-2xl bg-black shadow-lift ring-1 ring-white/10">
        <div
          className="relative aspect-video"
          style={{
            background:
              "radial-gradient(circle at 30% 35%, oklch(0.72 0.16 55 / 0.9), transparent 45%), radial-gradient(circle at 75% 70%, oklch(0.5 0.2 15 / 0.9), transparent 50%), linear-gradient(160deg, oklch(0.3 0.06 270), oklch(0.16 0.03 280))",
          }}
        >
          <div className="absolute inset-0 bg-linear-to-t from-black/70 via-transparent to-black/10" />
          <span className="absolute top-1/2 left-1/2 flex size-16 -translate-x-1/2 -translate-y-1/2 items-center justify-center rounded-full bg-white/90 text-black shadow-2xl">
            <PlayIcon className="ml-1 size-7" />
          </span>
          <div className="absolute inset-x-5 bottom-4 space-y-3">
            <div className="flex items-center justify-between text-xs font-medium text-white/80">
              <span>Quarterly all-hands</span>
              <span className="font-mono">23:41 / 58:02</span>
            </div>
            <div className="h-1 rounded-full bg-white/25">
              <div className="h-full w-2/5 rounded-full bg-accent" />
            </div>
          </div>
          <span className="absolute top-4 right-4 rounded-md bg-black/60 px-2 py-0.5 text-[11px] font-semibold text-white/90 backdrop-blur">
            720p HD
          </span>
        </div>
      </div>
      <div className="mt-5 grid grid-cols-3 gap-4">
        {TILES.map(({ hue, w }) => (
          <div key={hue} className="space-y-2">
            <div
              className="aspect-video rounded-xl shadow-card ring-1 ring-line"
              style={{
                background: `linear-gradient(135deg, oklch(0.55 0.12 ${hue}), oklch(0.28 0.06 ${hue + 40}))`,
              }}
            />
            <div className="h-2 rounded-full bg-surface-3" style={{ width: w }} />
          </div>
        ))}
      </div>
    </div>
  );
}

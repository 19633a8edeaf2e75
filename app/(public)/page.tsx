import type { Metadata } from "next";
import { ClockIcon, LockIcon, WaveIcon } from "@/components/ui/icons";
import { HeroShowcase } from "@/components/site/hero-showcase";
import { LandingCta } from "@/components/site/landing-cta";

export const metadata: Metadata = {
  title: { absolute: "Reelgate · Members-only streaming" },
  robots: { index: true, follow: false },
};

const FEATURES = [
  {
    icon: WaveIcon,
    title: "Adaptive HD streaming",
    body: "Every title is encoded into a quality ladder, so playback starts fast and sharpens to match your connection.",
  },
  {
    icon: LockIcon,
    title: "Private by design",
    body: "Media is only served with short-lived access signed for your session. Links shared outside simply don’t play.",
  },
  {
    icon: ClockIcon,
    title: "Pick up where you left off",
    body: "Your place in every video is saved, so you can stop on your phone and continue on your laptop.",
  },
];

export default function LandingPage() {
  return (
    <>
      <section className="relative isolate overflow-hidden">
        <div
          aria-hidden="true"
          className="absolute inset-0 -z-10 bg-[radial-gradient(60rem_30rem_at_75%_-10%,var(--accent-soft),transparent_70%),radial-gradient(40rem_24rem_at_0%_110%,color-mix(in_oklch,var(--accent)_12%,transparent),transparent_70%)]"
        />
        <div className="mx-auto grid max-w-7xl items-center gap-12 px-4 pt-16 pb-20 sm:px-6 sm:pt-24 lg:grid-cols-[1.05fr_1fr] lg:gap-16 lg:px-8 lg:pt-28 lg:pb-28">
          <div>
            <p className="inline-flex items-center gap-2 rounded-full bg-surface px-3 py-1 text-xs font-semibold tracking-wide text-accent uppercase ring-1 ring-line">
              <span className="size-1.5 rounded-full bg-accent" aria-hidden="true" />
              Members only
            </p>
            <h1 className="mt-6 font-display text-4xl leading-[1.05] font-bold tracking-tight text-balance text-fg sm:text-5xl lg:text-6xl">
              Your private screening room.
            </h1>
            <p className="mt-6 max-w-xl text-lg leading-relaxed text-pretty text-muted">
              Reelgate streams your organisation&apos;s video library in adaptive HD, on any screen.
              Sign in with your member account and press play. Nobody else can.
            </p>
            <div className="mt-10">
              <LandingCta />
            </div>
          </div>
          <HeroShowcase />
        </div>
      </section>

      <section aria-labelledby="features-heading" className="border-t border-line/70 bg-surface/60">
        <div className="mx-auto max-w-7xl px-4 py-16 sm:px-6 sm:py-20 lg:px-8">
          <h2 id="features-heading" className="sr-only">
            Why Reelgate
          </h2>
          <ul className="grid gap-8 md:grid-cols-3">
            {FEATURES.map(({ icon: Icon, title, body }) => (
              <li key={title} className="rounded-2xl bg-surface p-6 shadow-card ring-1 ring-line">
                <span className="flex size-10 items-center justify-center rounded-xl bg-accent-soft text-accent">
                  <Icon className="size-5" />
                </span>
                <h3 className="mt-5 font-display text-lg font-semibold text-fg">{title}</h3>
                <p className="mt-2 text-sm leading-relaxed text-muted">{body}</p>
              </li>
            ))}
          </ul>
        </div>
      </section>
    </>
  );
}

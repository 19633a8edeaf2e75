// Shared Tailwind class lists of the player controls (the player is always dark).

export const controlButton =
  "inline-flex h-10 min-w-10 items-center justify-center gap-1.5 rounded-md px-2 text-white/90 transition-colors hover:bg-white/10 hover:text-white focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-white/80 disabled:opacity-40";

export const overlayButtonPrimary =
  "inline-flex items-center justify-center gap-2 rounded-lg bg-white px-5 py-2.5 text-sm font-semibold text-black shadow-lg transition hover:bg-white/90 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-offset-2 focus-visible:ring-offset-black";

export const overlayButtonSecondary =
  "inline-flex items-center justify-center rounded-lg bg-white/15 px-5 py-2.5 text-sm font-semibold text-white backdrop-blur transition hover:bg-white/25 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-white/80";

/**
 * The large round Play button over the poster (the player's and the watch page shell's).
 * No backdrop blur: over a video, a blur is computed again for every frame, which costs a
 * device without GPU compositing a good part of a core.
 */
export const bigPlayButton =
  "flex size-20 items-center justify-center rounded-full bg-black/65 text-white shadow-2xl ring-1 ring-white/20 transition hover:scale-105 hover:bg-accent focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-white/80 sm:size-24";

/** The <video> element, filling the player. */
export const videoElementClass = "absolute inset-0 h-full w-full object-contain";

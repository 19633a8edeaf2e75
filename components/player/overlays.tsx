"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { bigPlayButton, overlayButtonPrimary, overlayButtonSecondary } from "./control-styles";
import { formatTime } from "./format-time";
import { PlayIcon } from "./icons";

export function Backdrop({ children, dim = true }: { children: ReactNode; dim?: boolean }) {
  return (
    <div
      className={`absolute inset-0 z-20 flex items-center justify-center p-6 ${
        dim ? "bg-black/70 backdrop-blur-sm" : ""
      }`}
    >
      {children}
    </div>
  );
}

/** Shown while playback waits for data. */
export function Spinner() {
  return (
    <div
      role="status"
      aria-label="Loading"
      className="pointer-events-none absolute inset-0 z-10 flex items-center justify-center"
    >
      <div className="size-14 animate-spin rounded-full border-4 border-white/20 border-t-white" />
    </div>
  );
}

/** The large centre button over the poster before the first play. */
export function BigPlayButton({ onPlay }: { onPlay: () => void }) {
  return (
    <div className="absolute inset-0 z-10 flex items-center justify-center">
      <button type="button" aria-label="Play" onClick={onPlay} className={bigPlayButton}>
        <PlayIcon className="size-10 translate-x-0.5 sm:size-12" />
      </button>
    </div>
  );
}

/** "Resume from m:ss" or "Start over", before playback. */
export function ResumeOverlay(props: {
  position: number;
  onResume: () => void;
  onStartOver: () => void;
}) {
  const resumeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    resumeRef.current?.focus({ preventScroll: true });
  }, []);
  return (
    <Backdrop dim={false}>
      <div className="flex flex-col items-center gap-4 rounded-2xl bg-black/65 px-8 py-6 shadow-2xl ring-1 ring-white/10 backdrop-blur-md">
        <p className="text-sm text-white/70">Pick up where you left off?</p>
        <div className="flex flex-wrap justify-center gap-3">
          <button
            ref={resumeRef}
            type="button"
            onClick={props.onResume}
            className={overlayButtonPrimary}
          >
            <PlayIcon className="size-5" />
            Resume from {formatTime(props.position)}
          </button>
          <button type="button" onClick={props.onStartOver} className={overlayButtonSecondary}>
            Start over
          </button>
        </div>
      </div>
    </Backdrop>
  );
}

/** Signed out (or disabled) while watching: the media cookies can no longer be renewed. */
export function SessionEndedOverlay() {
  const here = `${window.location.pathname}${window.location.search}`;
  return (
    <Backdrop>
      <div role="alert" className="flex max-w-sm flex-col items-center gap-3 text-center">
        <h2 className="text-lg font-semibold text-white">Your session has ended</h2>
        <p className="text-sm text-white/70">Sign in again to keep watching.</p>
        <a
          href={`/signin?callbackUrl=${encodeURIComponent(here)}`}
          className={overlayButtonPrimary}
        >
          Sign in again
        </a>
      </div>
    </Backdrop>
  );
}

/** The video was withdrawn (unpublished, deleted, or no longer open to this member). */
export function UnavailableOverlay() {
  return (
    <Backdrop>
      <div role="alert" className="flex max-w-sm flex-col items-center gap-3 text-center">
        <h2 className="text-lg font-semibold text-white">This video is no longer available</h2>
        <p className="text-sm text-white/70">
          It was taken down, or it is no longer part of your membership.
        </p>
        <a href="/videos" className={overlayButtonPrimary}>
          Browse the catalog
        </a>
      </div>
    </Backdrop>
  );
}

/** A failure the player could not recover from by itself. */
export function ErrorOverlay({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <Backdrop>
      <div role="alert" className="flex max-w-sm flex-col items-center gap-3 text-center">
        <h2 className="text-lg font-semibold text-white">Something went wrong</h2>
        <p className="text-sm text-white/70">{message}</p>
        {onRetry && (
          <button type="button" onClick={onRetry} className={overlayButtonPrimary}>
            Try again
          </button>
        )}
      </div>
    </Backdrop>
  );
}

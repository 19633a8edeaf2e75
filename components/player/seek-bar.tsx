"use client";

import { useState, type KeyboardEvent } from "react";
import { formatTime, spokenTime } from "./format-time";
import { SEEK_LARGE_SECONDS, SEEK_SMALL_SECONDS } from "./keyboard-shortcuts";
import { useSliderDrag } from "./use-slider-drag";

/** Props of {@link SeekBar}. */
export interface SeekBarProps {
  currentTime: number;
  duration: number;
  buffered: [number, number][];
  onSeek: (seconds: number) => void;
  /** Relative seek from the element's live position: props lag behind fast key repeats. */
  onSeekBy: (seconds: number) => void;
}

const percent = (value: number, total: number) =>
  `${total > 0 ? Math.min(100, Math.max(0, (value / total) * 100)) : 0}%`;

/** Seek slider with buffered ranges, a hover time and drag-to-seek (seeks on release). */
export function SeekBar({ currentTime, duration, buffered, onSeek, onSeekBy }: SeekBarProps) {
  const [dragTime, setDragTime] = useState<number | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const shown = dragTime ?? currentTime;
  const drag = useSliderDrag({
    onDrag: (fraction) => setDragTime(fraction * duration),
    onCommit: (fraction) => {
      setDragTime(null);
      if (duration > 0) onSeek(fraction * duration);
    },
    onHover: setHover,
  });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step: Record<string, number> = {
      ArrowLeft: -SEEK_SMALL_SECONDS,
      ArrowRight: SEEK_SMALL_SECONDS,
      ArrowDown: -SEEK_SMALL_SECONDS,
      ArrowUp: SEEK_SMALL_SECONDS,
      PageDown: -SEEK_LARGE_SECONDS,
      PageUp: SEEK_LARGE_SECONDS,
    };
    const delta = step[event.key];
    if (delta !== undefined) onSeekBy(delta);
    else if (event.key === "Home") onSeek(0);
    else if (event.key === "End") onSeek(duration);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div
      role="slider"
      tabIndex={0}
      aria-label="Seek"
      aria-valuemin={0}
      aria-valuemax={Math.floor(duration)}
      aria-valuenow={Math.floor(shown)}
      aria-valuetext={`${spokenTime(shown)} of ${spokenTime(duration)}`}
      onKeyDown={onKeyDown}
      onPointerLeave={() => setHover(null)}
      {...drag}
      className="group/seek relative flex h-5 cursor-pointer touch-none items-center rounded focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-white/80"
    >
      <div className="relative h-1 w-full overflow-hidden rounded-full bg-white/25 transition-[height] duration-150 group-hover/seek:h-1.5">
        {buffered.map(([start, end]) => (
          <div
            key={`${start}-${end}`}
            className="absolute inset-y-0 bg-white/40"
            style={{ left: percent(start, duration), width: percent(end - start, duration) }}
          />
        ))}
        <div
          className="absolute inset-y-0 left-0 bg-accent"
          style={{ width: percent(shown, duration) }}
        />
      </div>
      <div
        className="pointer-events-none absolute top-1/2 size-3.5 -translate-x-1/2 -translate-y-1/2 scale-0 rounded-full bg-accent shadow transition-transform duration-150 group-hover/seek:scale-100 group-focus-visible/seek:scale-100"
        style={{ left: percent(shown, duration) }}
      />
      {hover !== null && duration > 0 && (
        <div
          className="pointer-events-none absolute bottom-full mb-2 -translate-x-1/2 rounded bg-black/85 px-1.5 py-0.5 text-xs font-medium tabular-nums text-white"
          style={{ left: `${hover * 100}%` }}
        >
          {formatTime(hover * duration)}
        </div>
      )}
    </div>
  );
}

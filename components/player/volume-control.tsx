"use client";

import type { KeyboardEvent } from "react";
import { controlButton } from "./control-styles";
import { VolumeIcon } from "./icons";
import { VOLUME_STEP } from "./keyboard-shortcuts";
import { useSliderDrag } from "./use-slider-drag";

/** Props of {@link VolumeControl}. */
export interface VolumeControlProps {
  volume: number;
  muted: boolean;
  onVolume: (volume: number) => void;
  /** Relative change from the element's live volume: props lag behind fast key repeats. */
  onVolumeBy: (delta: number) => void;
  onToggleMute: () => void;
}

/** Mute button and a volume slider that slides open on hover or focus. */
export function VolumeControl(props: VolumeControlProps) {
  const { volume, muted, onVolume, onVolumeBy, onToggleMute } = props;
  const effective = muted ? 0 : volume;
  const drag = useSliderDrag({ onDrag: onVolume, onCommit: onVolume });
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const delta: Record<string, number> = {
      ArrowRight: VOLUME_STEP,
      ArrowUp: VOLUME_STEP,
      ArrowLeft: -VOLUME_STEP,
      ArrowDown: -VOLUME_STEP,
    };
    const step = delta[event.key];
    if (step !== undefined) onVolumeBy(step);
    else if (event.key === "Home") onVolume(0);
    else if (event.key === "End") onVolume(1);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  const level = effective === 0 ? "muted" : effective < 0.5 ? "low" : "high";

  return (
    <div className="group/volume flex items-center">
      <button
        type="button"
        aria-label={muted || volume === 0 ? "Unmute" : "Mute"}
        onClick={onToggleMute}
        className={controlButton}
      >
        <VolumeIcon level={level} />
      </button>
      <div className="w-0 overflow-hidden transition-[width] duration-200 group-focus-within/volume:w-24 group-hover/volume:w-24">
        <div
          role="slider"
          tabIndex={0}
          aria-label="Volume"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(effective * 100)}
          aria-valuetext={`${Math.round(effective * 100)}%`}
          onKeyDown={onKeyDown}
          {...drag}
          className="relative mx-2 flex h-8 cursor-pointer touch-none items-center rounded focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-white/80"
        >
          <div className="h-1 w-full overflow-hidden rounded-full bg-white/30">
            <div className="h-full bg-white" style={{ width: `${effective * 100}%` }} />
          </div>
          <div
            className="pointer-events-none absolute top-1/2 size-3 -translate-x-1/2 -translate-y-1/2 rounded-full bg-white shadow"
            style={{ left: `${effective * 100}%` }}
          />
        </div>
      </div>
    </div>
  );
}

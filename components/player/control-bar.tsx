"use client";

import type { CaptionTrack } from "@/lib/contract/types";
import { controlButton } from "./control-styles";
import { formatTime } from "./format-time";
import {
  CaptionsIcon,
  FullscreenIcon,
  GearIcon,
  PauseIcon,
  PipIcon,
  PlayIcon,
  SpeedIcon,
} from "./icons";
import { PlayerMenu } from "./player-menu";
import {
  currentQualityLabel,
  playingLevelLabel,
  qualityOptions,
  type LevelInfo,
} from "./quality-levels";
import { SeekBar } from "./seek-bar";
import type { MediaState } from "./use-media-state";
import { VolumeControl } from "./volume-control";

export type MenuName = "quality" | "speed" | "captions";

export const PLAYBACK_RATES = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;

/** Props of {@link ControlBar}: the media state plus one callback per control. */
export interface ControlBarProps {
  media: MediaState;
  duration: number;
  levels: LevelInfo[];
  selectedLevel: number;
  playingLevel: number;
  captions: CaptionTrack[];
  captionIndex: number;
  fullscreen: boolean;
  pipSupported: boolean;
  openMenu: MenuName | null;
  onOpenMenu: (menu: MenuName | null) => void;
  onTogglePlay: () => void;
  onSeek: (seconds: number) => void;
  onSeekBy: (seconds: number) => void;
  onVolume: (volume: number) => void;
  onVolumeBy: (delta: number) => void;
  onToggleMute: () => void;
  onLevel: (level: number) => void;
  onRate: (rate: number) => void;
  onCaption: (index: number) => void;
  onToggleFullscreen: () => void;
  onTogglePip: () => void;
}

/** The bottom bar: seek slider, then play, volume, time | captions, speed, quality, PiP, fullscreen. */
export function ControlBar(props: ControlBarProps) {
  const { media, duration, levels, selectedLevel, playingLevel, captions, openMenu } = props;
  const menuState = (name: MenuName) => ({
    open: openMenu === name,
    onOpenChange: (open: boolean) => props.onOpenMenu(open ? name : null),
  });
  const qualityLabel = currentQualityLabel(levels, selectedLevel < 0, playingLevel);
  const playingLabel = playingLevelLabel(levels, playingLevel);
  const autoHint = selectedLevel < 0 && playingLabel ? `(${playingLabel})` : undefined;
  const quality = qualityOptions(levels).map((option) => ({
    value: option.level,
    label: option.label,
    hint: option.level < 0 ? autoHint : undefined,
  }));
  const playing = !media.paused && !media.ended;

  return (
    <div className="flex flex-col gap-1 px-3 pb-2 sm:px-5 sm:pb-3">
      <SeekBar
        currentTime={media.currentTime}
        duration={duration}
        buffered={media.buffered}
        onSeek={props.onSeek}
        onSeekBy={props.onSeekBy}
      />
      <div className="flex items-center gap-1">
        <button
          type="button"
          aria-label={playing ? "Pause" : "Play"}
          onClick={props.onTogglePlay}
          className={controlButton}
        >
          {playing ? <PauseIcon /> : <PlayIcon />}
        </button>
        <VolumeControl
          volume={media.volume}
          muted={media.muted}
          onVolume={props.onVolume}
          onVolumeBy={props.onVolumeBy}
          onToggleMute={props.onToggleMute}
        />
        <div className="ml-2 text-sm font-medium text-white/90 tabular-nums select-none">
          {formatTime(media.currentTime)}
          <span className="text-white/50"> / {formatTime(duration)}</span>
        </div>
        <div className="ml-auto flex items-center gap-0.5">
          {captions.length > 0 && (
            <PlayerMenu
              label="Captions"
              button={<CaptionsIcon on={props.captionIndex >= 0} />}
              options={[
                { value: -1, label: "Off" },
                ...captions.map((track, index) => ({ value: index, label: track.label })),
              ]}
              selected={props.captionIndex}
              onSelect={props.onCaption}
              {...menuState("captions")}
            />
          )}
          <PlayerMenu
            label="Playback speed"
            button={
              <>
                <SpeedIcon />
                {media.playbackRate !== 1 && (
                  <span className="text-xs font-semibold tabular-nums">{media.playbackRate}x</span>
                )}
              </>
            }
            options={PLAYBACK_RATES.map((rate) => ({
              value: rate,
              label: rate === 1 ? "Normal" : `${rate}x`,
            }))}
            selected={media.playbackRate}
            onSelect={props.onRate}
            {...menuState("speed")}
          />
          {levels.length > 0 && (
            <PlayerMenu
              label="Quality"
              button={
                <>
                  <GearIcon />
                  <span className="hidden text-xs font-semibold sm:inline">{qualityLabel}</span>
                </>
              }
              options={quality}
              selected={selectedLevel < 0 ? -1 : selectedLevel}
              onSelect={props.onLevel}
              {...menuState("quality")}
            />
          )}
          {props.pipSupported && (
            <button
              type="button"
              aria-label={media.pictureInPicture ? "Exit picture-in-picture" : "Picture-in-picture"}
              onClick={props.onTogglePip}
              className={controlButton}
            >
              <PipIcon />
            </button>
          )}
          <button
            type="button"
            aria-label={props.fullscreen ? "Exit full screen" : "Full screen"}
            onClick={props.onToggleFullscreen}
            className={controlButton}
          >
            <FullscreenIcon exit={props.fullscreen} />
          </button>
        </div>
      </div>
    </div>
  );
}

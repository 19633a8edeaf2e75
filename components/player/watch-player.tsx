"use client";

import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
} from "react";
import type { VideoSummary } from "@/lib/contract/types";
import { ControlBar, type MenuName } from "./control-bar";
import { keyToAction, type KeyTarget, type PlayerAction } from "./keyboard-shortcuts";
import {
  BigPlayButton,
  ErrorOverlay,
  ResumeOverlay,
  SessionEndedOverlay,
  Spinner,
  UnavailableOverlay,
} from "./overlays";
import { StreamLimitOverlay } from "./stream-limit-overlay";
import { resumePosition } from "./resume-offer";
import { pictureInPictureSupported, togglePictureInPicture, useFullscreen } from "./use-fullscreen";
import { useIdle } from "./use-idle";
import { useMediaState } from "./use-media-state";
import { usePlaybackBeacons } from "./playback-beacons";
import { usePlaybackSource } from "./use-playback-source";
import { useProgressSaver } from "./use-progress-saver";
import { useCaptionTracks, useVideoElement, useVideoPoster } from "./use-video-element";
import { useVolumeMemory } from "./use-volume-memory";

/** Props of {@link WatchPlayer}. */
export interface WatchPlayerProps {
  /** The video as GET /api/videos/{id} returns it; nothing secret, media paths only. */
  video: VideoSummary;
}

function keyTarget(target: EventTarget | null): KeyTarget | null {
  if (!(target instanceof HTMLElement)) return null;
  return {
    tagName: target.tagName,
    isContentEditable: target.isContentEditable,
    type: target instanceof HTMLInputElement ? target.type : undefined,
    role: target.getAttribute("role"),
  };
}

const play = (element: HTMLVideoElement) => {
  // Rejected when the browser blocks playback or the source changes mid-way; the controls
  // simply keep showing "Play".
  element.play().catch(() => undefined);
};

/**
 * The member's video player: HLS (hls.js, or native where MSE is missing) behind the
 * CloudFront cookies, custom controls, resume, keyboard shortcuts. Client only. Opened
 * directly, it takes over the page's early player (early-player.ts) without a gap.
 */
export default function WatchPlayer({ video }: WatchPlayerProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const slotRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  // First: the element must be in place before any effect below reads videoRef.
  const early = useVideoElement(slotRef, videoRef, video.playlistUrl);
  const [resumeAt] = useState(() =>
    resumePosition(video.progress?.positionSeconds, video.durationSeconds),
  );
  const [resumeDismissed, setResumeDismissed] = useState(false);
  const [openMenu, setOpenMenu] = useState<MenuName | null>(null);
  const [captionIndex, setCaptionIndex] = useState(-1);
  const lastCaption = useRef(0);
  const swallowClick = useRef(false);

  // Declared before the source: effects clean up in order, and the last position must be
  // saved while the video still has its source.
  useProgressSaver(videoRef, video.id, true);
  usePlaybackBeacons(videoRef, video.id, early);
  const source = usePlaybackSource(videoRef, video.id, video.playlistUrl, resumeAt, early);
  useVideoPoster(videoRef, video.posterUrl, source.accessReady);
  useCaptionTracks(videoRef, video.captions, source.accessReady);
  const media = useMediaState(videoRef);
  useVolumeMemory(videoRef);
  const { fullscreen, toggleFullscreen } = useFullscreen(containerRef, videoRef);
  const [pipSupported] = useState(() => pictureInPictureSupported(null));
  // Playback stopped by a refused renewal: no controls over the overlay that says why.
  const sessionEnded = ["session-ended", "unavailable", "stream-limit"].includes(source.status);
  const idle = useIdle(!media.paused && openMenu === null && !sessionEnded);

  // Playback started some other way (media keys, a test calling play()): the offer is moot.
  const resumePending = resumeAt !== null && !resumeDismissed && !media.started;

  useEffect(() => {
    const element = videoRef.current;
    if (!element) return;
    const tracks = element.textTracks;
    const apply = () => {
      for (let i = 0; i < tracks.length; i++) {
        const track = tracks[i];
        if (!track) continue;
        const index = video.captions.findIndex(
          (caption) => caption.label === track.label && caption.lang === track.language,
        );
        track.mode = index >= 0 && index === captionIndex ? "showing" : "disabled";
      }
    };
    apply();
    tracks.addEventListener("addtrack", apply);
    return () => tracks.removeEventListener("addtrack", apply);
  }, [captionIndex, video.captions, source.accessReady]);

  const duration = media.duration || video.durationSeconds || 0;

  const seekTo = useCallback((seconds: number) => {
    const element = videoRef.current;
    if (!element) return;
    const end = Number.isFinite(element.duration) ? element.duration : Infinity;
    element.currentTime = Math.min(Math.max(0, seconds), end);
  }, []);

  const startAt = useCallback(
    (seconds: number) => {
      const element = videoRef.current;
      if (!element) return;
      setResumeDismissed(true);
      if (Math.abs(element.currentTime - seconds) > 0.5) {
        // Native HLS may not have metadata yet; a seek before it is lost.
        if (element.readyState >= HTMLMediaElement.HAVE_METADATA) seekTo(seconds);
        else {
          element.addEventListener("loadedmetadata", () => seekTo(seconds), { once: true });
        }
      }
      play(element);
    },
    [seekTo],
  );

  // Play pressed before the source is attached: hls.js attaching the stream would abort
  // a play() made now, so the wish is kept and carried out once the source is ready.
  const [playRequested, setPlayRequested] = useState(false);
  // A Play pressed on the early player's button and not carried out yet is this player's
  // to carry out, like one pressed here while loading.
  useLayoutEffect(() => {
    const element = videoRef.current;
    if (early.current?.playRequested && element?.paused && element.played.length === 0) {
      setPlayRequested(true);
    }
  }, [early]);
  const ready = source.status === "ready";

  const togglePlay = useCallback(() => {
    const element = videoRef.current;
    if (!element || sessionEnded) return;
    if (!ready) {
      // A second press while waiting is impatience, not a change of mind.
      setPlayRequested(true);
      return;
    }
    setPlayRequested(false);
    if (resumePending && resumeAt !== null) startAt(resumeAt);
    else if (element.paused || element.ended) play(element);
    else element.pause();
  }, [ready, resumePending, resumeAt, sessionEnded, startAt]);

  useEffect(() => {
    const element = videoRef.current;
    // With a resume offer pending the member still picks where to start.
    if (ready && playRequested && !resumePending && element) play(element);
  }, [ready, playRequested, resumePending]);

  const setVolume = useCallback((volume: number) => {
    const element = videoRef.current;
    if (!element) return;
    element.volume = Math.min(1, Math.max(0, volume));
    element.muted = element.volume === 0;
  }, []);

  const seekBy = useCallback(
    (seconds: number) => {
      if (videoRef.current) seekTo(videoRef.current.currentTime + seconds);
    },
    [seekTo],
  );

  const volumeBy = useCallback(
    (delta: number) => {
      const element = videoRef.current;
      if (element) setVolume((element.muted ? 0 : element.volume) + delta);
    },
    [setVolume],
  );

  const toggleMute = useCallback(() => {
    const element = videoRef.current;
    if (!element) return;
    if (element.muted || element.volume === 0) {
      element.muted = false;
      if (element.volume === 0) element.volume = 0.5;
    } else {
      element.muted = true;
    }
  }, []);

  const selectCaption = useCallback((index: number) => {
    if (index >= 0) lastCaption.current = index;
    setCaptionIndex(index);
  }, []);

  const run = (action: PlayerAction) => {
    switch (action.type) {
      case "togglePlay":
        return togglePlay();
      case "seekBy":
        return seekBy(action.seconds);
      case "seekToFraction":
        return seekTo(action.fraction * duration);
      case "volumeBy":
        return volumeBy(action.delta);
      case "toggleMute":
        return toggleMute();
      case "toggleFullscreen":
        return toggleFullscreen();
      case "toggleCaptions":
        if (video.captions.length === 0) return;
        return selectCaption(captionIndex >= 0 ? -1 : lastCaption.current);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    idle.poke();
    if (sessionEnded) return;
    const action = keyToAction(event, keyTarget(event.target));
    if (!action) return;
    event.preventDefault();
    run(action);
  };

  const loading = source.status === "loading";
  // While loading, the Play button is already there (a press is kept, see above); a
  // pressed one, or a resume offer still to come, shows the spinner instead.
  const showSpinner =
    (loading && !media.started && (playRequested || resumeAt !== null)) ||
    (ready && media.waiting && !resumePending);
  const showBigPlay =
    !media.started && !resumePending && (ready || (loading && !playRequested && resumeAt === null));
  const controlsVisible = idle.visible && !resumePending && !sessionEnded;

  return (
    <div
      ref={containerRef}
      role="region"
      aria-label={`Video player: ${video.title}`}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerMove={idle.poke}
      onPointerDown={(event) => {
        // On touch, the first tap on a playing video only brings the controls back.
        swallowClick.current = event.pointerType === "touch" && !controlsVisible;
        idle.poke();
      }}
      onFocus={idle.poke}
      className={`group/player relative aspect-video w-full overflow-hidden bg-black text-white select-none focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent ${
        fullscreen ? "" : "rounded-xl shadow-2xl ring-1 ring-white/10"
      } ${controlsVisible ? "" : "cursor-none"}`}
    >
      {/* The <video> is put in here by useVideoElement; its clicks bubble to this. */}
      <div
        ref={slotRef}
        className="absolute inset-0"
        onClick={() => {
          if (swallowClick.current) swallowClick.current = false;
          else togglePlay();
        }}
        onDoubleClick={toggleFullscreen}
      />

      <div
        className={`pointer-events-none absolute inset-x-0 top-0 z-10 bg-linear-to-b from-black/70 to-transparent px-4 pt-3 pb-10 transition-opacity duration-300 sm:px-6 sm:pt-5 ${
          controlsVisible ? "opacity-100" : "opacity-0"
        }`}
      >
        <p aria-hidden="true" className="truncate text-base font-semibold drop-shadow sm:text-lg">
          {video.title}
        </p>
      </div>

      {showSpinner && <Spinner />}

      {showBigPlay && <BigPlayButton onPlay={togglePlay} />}

      {ready && resumePending && resumeAt !== null && (
        <ResumeOverlay
          position={resumeAt}
          onResume={() => startAt(resumeAt)}
          onStartOver={() => startAt(0)}
        />
      )}

      <div
        className={`absolute inset-x-0 bottom-0 z-10 bg-linear-to-t from-black/85 via-black/40 to-transparent pt-16 transition-opacity duration-300 ${
          controlsVisible ? "opacity-100" : "pointer-events-none opacity-0"
        }`}
      >
        <ControlBar
          media={media}
          duration={duration}
          levels={source.levels}
          selectedLevel={source.selectedLevel}
          playingLevel={source.playingLevel}
          captions={video.captions}
          captionIndex={captionIndex}
          fullscreen={fullscreen}
          pipSupported={pipSupported}
          openMenu={openMenu}
          onOpenMenu={setOpenMenu}
          onTogglePlay={togglePlay}
          onSeek={seekTo}
          onSeekBy={seekBy}
          onVolume={setVolume}
          onVolumeBy={volumeBy}
          onToggleMute={toggleMute}
          onLevel={source.setLevel}
          onRate={(rate) => {
            if (videoRef.current) videoRef.current.playbackRate = rate;
          }}
          onCaption={selectCaption}
          onToggleFullscreen={toggleFullscreen}
          onTogglePip={() => {
            if (videoRef.current) void togglePictureInPicture(videoRef.current);
          }}
        />
      </div>

      {source.status === "error" && (
        <ErrorOverlay message={source.errorMessage ?? "Playback failed."} onRetry={source.retry} />
      )}
      {source.status === "unsupported" && (
        <ErrorOverlay message="Your browser cannot play this video. Try a current version of Chrome, Edge, Firefox or Safari." />
      )}
      {source.status === "session-ended" && <SessionEndedOverlay />}
      {source.status === "unavailable" && <UnavailableOverlay />}
      {source.status === "stream-limit" && source.streamLimit && (
        <StreamLimitOverlay limit={source.streamLimit} onRetry={source.retry} />
      )}
    </div>
  );
}

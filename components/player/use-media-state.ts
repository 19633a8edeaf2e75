import { useEffect, useState, type RefObject } from "react";

/** What the controls show, read from the <video> element on each media event. */
export interface MediaState {
  paused: boolean;
  ended: boolean;
  currentTime: number;
  duration: number;
  /** Buffered ranges as [start, end] seconds. */
  buffered: [number, number][];
  volume: number;
  muted: boolean;
  playbackRate: number;
  /** Playback wants to run but has no data for the next frames, or a seek is pending. */
  waiting: boolean;
  /** The first frame has played at least once (controls the poster-state overlays). */
  started: boolean;
  pictureInPicture: boolean;
}

const EVENTS = [
  "play",
  "pause",
  "playing",
  "waiting",
  "seeking",
  "seeked",
  "timeupdate",
  "durationchange",
  "loadedmetadata",
  "progress",
  "volumechange",
  "ratechange",
  "ended",
  "canplay",
  "emptied",
  "enterpictureinpicture",
  "leavepictureinpicture",
] as const;

const INITIAL: MediaState = {
  paused: true,
  ended: false,
  currentTime: 0,
  duration: 0,
  buffered: [],
  volume: 1,
  muted: false,
  playbackRate: 1,
  waiting: false,
  started: false,
  pictureInPicture: false,
};

function read(video: HTMLVideoElement, started: boolean): MediaState {
  const buffered: [number, number][] = [];
  for (let i = 0; i < video.buffered.length; i++) {
    buffered.push([video.buffered.start(i), video.buffered.end(i)]);
  }
  return {
    paused: video.paused,
    ended: video.ended,
    currentTime: video.currentTime,
    duration: Number.isFinite(video.duration) ? video.duration : 0,
    buffered,
    volume: video.volume,
    muted: video.muted,
    playbackRate: video.playbackRate,
    waiting:
      video.seeking || (!video.paused && video.readyState < HTMLMediaElement.HAVE_FUTURE_DATA),
    started,
    pictureInPicture: typeof document !== "undefined" && document.pictureInPictureElement === video,
  };
}

/** Subscribes to the video's media events; re-renders at most a few times a second while playing. */
export function useMediaState(videoRef: RefObject<HTMLVideoElement | null>): MediaState {
  const [state, setState] = useState<MediaState>(INITIAL);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    // An element adopted from the early player may have played already.
    let started = video.played.length > 0;
    const update = (event?: Event): void => {
      if (event?.type === "playing") started = true;
      setState(read(video, started));
    };
    for (const name of EVENTS) video.addEventListener(name, update);
    update();
    return () => {
      for (const name of EVENTS) video.removeEventListener(name, update);
    };
  }, [videoRef]);

  return state;
}

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type Hls from "hls.js";
import { mediaAccess, type MediaCookieResult } from "@/lib/client/media-access";
import type { StreamLimitError } from "@/lib/contract/types";
import { adoptHlsSource, attachHls, createHlsSource, type SourceCallbacks } from "./attach-hls";
import { attachNative } from "./attach-native";
import { choosePlaybackEngine } from "./choose-engine";
import { exposeDebugHandle } from "./debug-handle";
import type { EarlyPlayer } from "./early-player";
import { takePreparedHlsSource } from "./prepared-source";
import type { LevelInfo } from "./quality-levels";

export type SourceStatus =
  | "loading"
  | "ready"
  | "error"
  | "session-ended"
  | "unsupported"
  /** The video was unpublished, deleted, or is no longer open to the member. */
  | "unavailable"
  /** The member plays on as many devices as allowed; `streamLimit` says which. */
  | "stream-limit";

/** State and commands of the video's HLS source. */
export interface PlaybackSource {
  status: SourceStatus;
  errorMessage: string | null;
  /** Media cookies are in place: the poster and the captions may be requested. */
  accessReady: boolean;
  /** With status "stream-limit": the member's other streams and their limit. */
  streamLimit: StreamLimitError | null;
  /** hls.js levels by index; empty with native HLS. */
  levels: LevelInfo[];
  /** Level picked in the menu, -1 for Auto. */
  selectedLevel: number;
  /** Index of the level on screen, -1 until known. */
  playingLevel: number;
  setLevel: (index: number) => void;
  /** Rebuilds the source after a fatal error, from where playback stopped. */
  retry: () => void;
}

/**
 * Attaches `playlistUrl` to the video: the video's own cookies first, then hls.js or
 * native HLS, and keeps the cookies renewed while mounted (the renewal is this stream's
 * heartbeat). `startPosition` is read once per attach.
 */
export function usePlaybackSource(
  videoRef: RefObject<HTMLVideoElement | null>,
  videoId: string,
  playlistUrl: string,
  startPosition: number | null,
  earlyRef: RefObject<EarlyPlayer | null>,
): PlaybackSource {
  const [status, setStatus] = useState<SourceStatus>("loading");
  const [errorMessage, setErrorMessage] = useState<string | null>(null);
  const [accessReady, setAccessReady] = useState(false);
  const [streamLimit, setStreamLimit] = useState<StreamLimitError | null>(null);
  const [levels, setLevels] = useState<LevelInfo[]>([]);
  const [selectedLevel, setSelectedLevel] = useState(-1);
  const [playingLevel, setPlayingLevel] = useState(-1);
  const [attempt, setAttempt] = useState(0);
  const hlsRef = useRef<Hls | null>(null);
  const sessionEndedRef = useRef(false);
  const startRef = useRef(startPosition);

  const setLevel = useCallback(
    (index: number) => {
      const hls = hlsRef.current;
      if (!hls || index >= hls.levels.length) return;
      if (index < 0) {
        hls.loadLevel = -1;
      } else if (videoRef.current?.paused !== false) {
        // Paused: flush and refetch at once, so the next frame already has the new quality.
        hls.currentLevel = index;
      } else {
        // Playing: switch from the next segment on, without emptying the buffer (no stall).
        hls.nextLevel = index;
      }
      setSelectedLevel(Math.max(-1, index));
    },
    [videoRef],
  );

  const retry = useCallback(() => {
    const position = videoRef.current?.currentTime ?? 0;
    if (position > 0) startRef.current = position;
    setErrorMessage(null);
    setStreamLimit(null);
    setStatus("loading");
    setAttempt((n) => n + 1);
  }, [videoRef]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let disposed = false;
    const cleanups: (() => void)[] = [];
    sessionEndedRef.current = false;

    // A refused renewal stops playback: what the member sees says why.
    const stopFor = (status: SourceStatus): void => {
      if (disposed) return;
      sessionEndedRef.current = true;
      video.pause();
      hlsRef.current?.stopLoad();
      setStatus(status);
    };
    const endSession = (): void => stopFor("session-ended");
    const refused = (result: MediaCookieResult): void => {
      if ("signedOut" in result) endSession();
      else if ("unavailable" in result) stopFor("unavailable");
      else if ("streamLimit" in result) {
        setStreamLimit(result.streamLimit);
        stopFor("stream-limit");
      }
    };
    const access = mediaAccess({ videoId });
    const callbacks: SourceCallbacks = {
      onReady: (found) => {
        if (disposed) return;
        setLevels(found);
        setStatus((current) => (current === "loading" ? "ready" : current));
      },
      onLevelSwitched: (level) => {
        if (!disposed) setPlayingLevel(level);
      },
      onFatal: (message) => {
        if (disposed || sessionEndedRef.current) return;
        setErrorMessage(message);
        setStatus("error");
      },
      isSessionEnded: () => sessionEndedRef.current,
    };

    cleanups.push(
      access.startMediaAccessRenewal({
        onSignedOut: endSession,
        onUnavailable: () => stopFor("unavailable"),
        onStreamLimit: (info) => refused({ streamLimit: info }),
      }),
    );

    // The early player's source, taken once (a retry builds a new one); destroyed on any
    // way out below that does not adopt it.
    let early = earlyRef.current;
    earlyRef.current = null;
    cleanups.push(() => early?.hls.destroy());

    void (async () => {
      // A network failure here is not final: the loader renews on the first 403 anyway.
      const granted = await access.ensureMediaCookies().catch(() => null);
      if (disposed) return;
      if (granted && !("expiresAt" in granted)) {
        // Also when the refusal came before this effect was listening (the page's own
        // request, adopted at load).
        refused(granted);
        return;
      }
      setAccessReady(true);
      const engine = await choosePlaybackEngine(video).catch(() => null);
      if (disposed) return;
      if (!engine) {
        setErrorMessage("The player could not be loaded. Check your connection and try again.");
        setStatus("error");
        return;
      }
      if (engine.kind === "unsupported") {
        setStatus("unsupported");
        return;
      }
      if (engine.kind === "native") {
        cleanups.push(attachNative(video, playlistUrl, startRef.current, callbacks, access));
        cleanups.push(
          exposeDebugHandle({ hls: null, levels: () => [], currentLevel: () => -1, setLevel }),
        );
        return;
      }
      let hls: Hls;
      if (early && early.video === video) {
        hls = early.hls;
        early = null;
        adoptHlsSource(engine.Hls, hls, access);
      } else {
        hls =
          takePreparedHlsSource(playlistUrl, startRef.current) ??
          createHlsSource(engine.Hls, playlistUrl, startRef.current, access);
      }
      attachHls(engine.Hls, hls, video, playlistUrl, callbacks);
      hlsRef.current = hls;
      cleanups.push(() => {
        hlsRef.current = null;
        hls.destroy();
      });
      cleanups.push(
        exposeDebugHandle({
          hls,
          levels: () => hls.levels.map((level) => ({ height: level.height })),
          currentLevel: () => hls.currentLevel,
          setLevel,
        }),
      );
    })();

    return () => {
      disposed = true;
      for (const cleanup of cleanups.reverse()) cleanup();
      setLevels([]);
      setPlayingLevel(-1);
      setSelectedLevel(-1);
    };
  }, [videoRef, videoId, playlistUrl, attempt, setLevel, earlyRef]);

  return {
    status,
    errorMessage,
    accessReady,
    streamLimit,
    levels,
    selectedLevel,
    playingLevel,
    setLevel,
    retry,
  };
}

/** One device (browser) of a member playing, as the registry keeps it. */
export interface ActiveStream {
  /** Stable per (member, device): a hash of the device cookie, never the cookie itself. */
  id: string;
  /** The video it plays now. */
  videoId: string;
  /** Names this run of playback of `videoId` in the access log; new when the video changes. */
  playbackKey: string;
  /** "Chrome on Linux", from the user agent. */
  device: string;
  address: string | null;
  userAgent: string | null;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms of the last issue or renewal. */
  lastSeenAt: number;
}

/** What a renewal tells the registry about the stream. */
export interface StreamTouch {
  videoId: string;
  device: string;
  address: string | null;
  userAgent: string | null;
}

export interface TouchOptions {
  /** Streams a member may have at once; 0 = no limit. */
  limit: number;
  /** A stream not renewed for this long has ended. */
  ttlMs: number;
  now: number;
}

export type TouchResult =
  | { ok: true; stream: ActiveStream; started: boolean }
  /** At the limit: the member's live streams, oldest first. */
  | { ok: false; streams: ActiveStream[] };

/**
 * The concurrent-stream registry, counted where credentials are issued (the renewal is
 * the heartbeat), so that the edge stays stateless. Implementations must make `touch`
 * atomic per member: two devices starting at once cannot both take the last place.
 */
export interface StreamRegistry {
  /** Renews `streamId`, or starts it if the member is under the limit. */
  touch(
    userId: string,
    streamId: string,
    info: StreamTouch,
    options: TouchOptions,
  ): Promise<TouchResult>;
  /** The member's live streams, oldest first. */
  list(userId: string, options: { ttlMs: number; now: number }): Promise<ActiveStream[]>;
  /** Ends one stream; false when there was none. */
  end(userId: string, streamId: string): Promise<boolean>;
  /** Ends every stream of the member (disabled, signed out everywhere). */
  endAll(userId: string): Promise<void>;
}

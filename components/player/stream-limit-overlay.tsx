"use client";

import { useState } from "react";
import { ApiError } from "@/lib/client/api";
import { stopStream } from "@/lib/client/streams";
import type { StreamLimitError } from "@/lib/contract/types";
import { overlayButtonPrimary, overlayButtonSecondary } from "./control-styles";
import { Backdrop } from "./overlays";

function startedAgo(iso: string, now: number): string {
  const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 1) return "started just now";
  if (minutes < 60) return `started ${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return `started ${hours} h ago`;
}

/**
 * Shown when this device would be one stream too many (429 `stream_limit`): says why in
 * plain words, lists the member's other streams, and offers to stop the oldest one so
 * that this one can play (`onRetry` asks for the cookies again).
 */
export function StreamLimitOverlay({
  limit,
  onRetry,
}: {
  limit: StreamLimitError;
  onRetry: () => void;
}) {
  const [stopping, setStopping] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [now] = useState(() => Date.now());
  const others = limit.streams.filter((s) => !s.current);
  const oldest = others[0];

  async function stopOldest() {
    if (!oldest) return onRetry();
    setStopping(true);
    setFailure(null);
    try {
      await stopStream(oldest.id);
    } catch (err) {
      // Already ended on its own: the place is free anyway.
      if (!(err instanceof ApiError && err.status === 404)) {
        setFailure(err instanceof Error ? err.message : "Could not stop that stream.");
        setStopping(false);
        return;
      }
    }
    onRetry();
  }

  return (
    <Backdrop>
      <div
        role="alert"
        className="flex max-h-full max-w-md flex-col items-center gap-2 overflow-y-auto text-center sm:gap-3"
      >
        <h2 className="text-lg font-semibold text-white">You are watching on too many devices</h2>
        <p className="text-sm text-white/70">
          Your membership plays on {limit.limit} device{limit.limit === 1 ? "" : "s"} at once, and{" "}
          {others.length === 1 ? "another one is" : `${others.length} others are`} playing now. Stop
          one to watch here.
        </p>
        {others.length > 0 && (
          <ul aria-label="Your other streams" className="w-full space-y-1 text-left text-sm">
            {others.map((s) => (
              <li
                key={s.id}
                className="flex justify-between gap-3 rounded-md bg-white/10 px-3 py-2"
              >
                <span className="truncate">
                  <span className="font-medium text-white">{s.device}</span>
                  {s.videoTitle && <span className="text-white/60"> · {s.videoTitle}</span>}
                </span>
                <span className="shrink-0 text-white/60">{startedAgo(s.startedAt, now)}</span>
              </li>
            ))}
          </ul>
        )}
        {failure && <p className="text-sm text-red-300">{failure}</p>}
        <div className="flex flex-wrap justify-center gap-2">
          <button
            type="button"
            onClick={() => void stopOldest()}
            disabled={stopping}
            className={overlayButtonPrimary}
          >
            {stopping ? "Stopping…" : oldest ? "Stop the oldest and watch here" : "Try again"}
          </button>
          {oldest && (
            <button type="button" onClick={onRetry} className={overlayButtonSecondary}>
              Try again
            </button>
          )}
        </div>
      </div>
    </Backdrop>
  );
}

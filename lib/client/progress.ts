// Resume position of the signed-in member, saved from the player.

import type { ProgressBody } from "@/lib/contract/types";

/** Options of {@link saveProgress}. */
export interface SaveProgressOptions {
  /**
   * Let the request outlive the page (pagehide, tab hidden). Browsers cap keepalive
   * bodies at 64 KB in total, which this tiny JSON body never approaches.
   */
  keepalive?: boolean;
}

/** PUT /api/videos/{id}/progress. Best effort: a lost save only costs a few seconds of resume. */
export async function saveProgress(
  videoId: string,
  positionSeconds: number,
  options: SaveProgressOptions = {},
): Promise<boolean> {
  const body: ProgressBody = {
    positionSeconds: Math.max(0, Math.round(positionSeconds * 10) / 10),
  };
  try {
    const response = await fetch(`/api/videos/${encodeURIComponent(videoId)}/progress`, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      keepalive: options.keepalive ?? false,
    });
    return response.ok;
  } catch {
    return false;
  }
}

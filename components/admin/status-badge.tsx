import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { AdminVideo, VideoStatus } from "@/lib/contract/types";
import { processingPercent } from "./admin-videos-api";

const TONES: Record<VideoStatus, BadgeTone> = {
  uploading: "neutral",
  queued: "warning",
  processing: "accent",
  ready: "success",
  failed: "danger",
};

/** Exactly "Uploading", "Queued", "Processing 42 %", "Ready" or "Failed". */
export function statusText(video: AdminVideo): string {
  switch (video.status) {
    case "uploading":
      return "Uploading";
    case "queued":
      return "Queued";
    case "processing":
      return `Processing ${processingPercent(video)} %`;
    case "ready":
      return "Ready";
    case "failed":
      return "Failed";
  }
}

/** The pipeline state of a video, with a small bar while it is transcoded. */
export function StatusBadge({ video }: { video: AdminVideo }) {
  const percent = processingPercent(video);
  return (
    <div className="flex flex-col gap-1.5">
      <Badge tone={TONES[video.status]} className="w-fit">
        {statusText(video)}
      </Badge>
      {video.status === "processing" && (
        <div
          role="progressbar"
          aria-label="Processing"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          className="h-1.5 w-28 overflow-hidden rounded-full bg-surface-3"
        >
          <div className="h-full rounded-full bg-accent" style={{ width: `${percent}%` }} />
        </div>
      )}
    </div>
  );
}

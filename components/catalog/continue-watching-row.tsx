import type { VideoSummary } from "@/lib/contract/types";
import { VideoCard } from "./video-card";

/** Props of {@link ContinueWatchingRow}. */
export interface ContinueWatchingRowProps {
  videos: VideoSummary[];
  mediaReady: boolean;
}

/** A horizontally scrolling row of videos with a saved position. */
export function ContinueWatchingRow({ videos, mediaReady }: ContinueWatchingRowProps) {
  return (
    <section aria-labelledby="continue-heading">
      <h2 id="continue-heading" className="mb-4 font-display text-xl font-semibold text-fg">
        Continue watching
      </h2>
      <ul className="-mx-4 flex snap-x snap-mandatory gap-5 overflow-x-auto px-4 pb-2 sm:mx-0 sm:px-0 [scrollbar-width:thin]">
        {videos.map((video) => (
          <li key={video.id} className="w-64 shrink-0 snap-start sm:w-72">
            <VideoCard video={video} mediaReady={mediaReady} showProgress />
          </li>
        ))}
      </ul>
    </section>
  );
}

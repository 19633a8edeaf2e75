import { BackToVideos, DetailsSkeleton, playerFrameClass } from "@/components/catalog/watch-layout";
import { LoadingPlaceholder } from "@/components/ui/skeleton";
import { bigPlayButton, videoElementClass } from "./control-styles";
import { EARLY_PLAYER_ID } from "./early-player";
import { PlayIcon } from "./icons";

/**
 * The watch page as its static HTML shows it before the app has loaded: the page's
 * layout with the player's frame, a <video> and a Play button that the inline script
 * (early-player.ts) brings to life. The button stays hidden where that script does not
 * run; the frame is then a placeholder until the app renders the player.
 */
export function EarlyPlayerShell() {
  return (
    <div className="mx-auto max-w-6xl">
      <BackToVideos />
      <div className={playerFrameClass}>
        <div
          id={EARLY_PLAYER_ID}
          className="relative aspect-video w-full overflow-hidden rounded-xl bg-black shadow-2xl ring-1 ring-white/10"
        >
          <video data-testid="video" className={videoElementClass} playsInline preload="metadata" />
          <div className="pointer-events-none absolute inset-0 z-10 flex items-center justify-center">
            <button
              type="button"
              aria-label="Play"
              hidden
              className={`pointer-events-auto ${bigPlayButton}`}
            >
              <PlayIcon className="size-10 translate-x-0.5 sm:size-12" />
            </button>
          </div>
        </div>
      </div>
      <LoadingPlaceholder label="Loading video…">
        <DetailsSkeleton />
      </LoadingPlaceholder>
    </div>
  );
}

import Link from "next/link";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";

// Pieces of the watch page's layout shared by the page (WatchView) and the shell that the
// static HTML shows before the app has loaded (EarlyPlayerShell): the player must not
// move when the app takes over from the shell.

export function BackToVideos() {
  return (
    <Link
      href="/videos"
      prefetch={false}
      className="mb-5 inline-flex items-center gap-2 rounded-lg py-1 text-sm font-medium text-muted hover:text-fg"
    >
      <ArrowLeftIcon className="size-4" />
      Back to videos
    </Link>
  );
}

/** The frame around the player. */
export const playerFrameClass = "overflow-hidden rounded-2xl bg-black shadow-lift ring-1 ring-line";

/** Title, facts and description while the video's record loads. */
export function DetailsSkeleton() {
  return (
    <>
      <Skeleton className="mt-6 h-8 w-2/3 max-w-lg" />
      <Skeleton className="mt-3 h-4 w-40" />
      <Skeleton className="mt-5 h-4 w-full max-w-3xl" />
      <Skeleton className="mt-2 h-4 w-5/6 max-w-2xl" />
    </>
  );
}

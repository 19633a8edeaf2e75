import type { Metadata } from "next";
import { Suspense } from "react";
import { bootWatchScript } from "@/components/catalog/watch-boot";
import { WatchView } from "@/components/catalog/watch-view";
import { Skeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Watch" };

export default function WatchPage() {
  return (
    <>
      {/* Starts the video's record and the media cookies before the bundles load. */}
      <script dangerouslySetInnerHTML={{ __html: bootWatchScript }} />
      <Suspense
        fallback={<Skeleton className="mx-auto aspect-video w-full max-w-6xl rounded-2xl" />}
      >
        <WatchView />
      </Suspense>
    </>
  );
}

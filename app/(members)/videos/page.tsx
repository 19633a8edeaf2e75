import type { Metadata } from "next";
import { Suspense } from "react";
import { CatalogView } from "@/components/catalog/catalog-view";
import { VideoGridSkeleton } from "@/components/catalog/video-grid";

export const metadata: Metadata = { title: "Videos" };

export default function VideosPage() {
  return (
    <Suspense fallback={<VideoGridSkeleton />}>
      <CatalogView />
    </Suspense>
  );
}

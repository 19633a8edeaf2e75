import type { ReactNode } from "react";
import { Skeleton } from "@/components/ui/skeleton";

/** The responsive poster grid, phone (1-2 columns) to desktop (4-5). */
export function VideoGrid({ children }: { children: ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-x-5 gap-y-8 min-[480px]:grid-cols-2 md:grid-cols-3 lg:grid-cols-4 2xl:grid-cols-5">
      {children}
    </div>
  );
}

/** Placeholder cards while the catalog loads. */
export function VideoGridSkeleton({ count = 8 }: { count?: number }) {
  return (
    <VideoGrid>
      {Array.from({ length: count }, (_, i) => (
        <div key={i}>
          <Skeleton className="aspect-video w-full rounded-card" />
          <Skeleton className="mt-3 h-4 w-3/4" />
          <Skeleton className="mt-2 h-3 w-full" />
          <Skeleton className="mt-1.5 h-3 w-2/3" />
        </div>
      ))}
    </VideoGrid>
  );
}

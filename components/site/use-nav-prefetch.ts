"use client";

import { usePathname } from "next/navigation";

/**
 * Prefetch setting for the site's navigation links. While a video plays, the bandwidth
 * and the main thread belong to the video: the watch page prefetches no other route
 * (a click there costs one small request instead). Elsewhere, Next's default.
 */
export function useNavPrefetch(): false | undefined {
  return usePathname() === "/watch" ? false : undefined;
}

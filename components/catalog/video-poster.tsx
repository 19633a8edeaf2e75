"use client";

import { useState } from "react";
import { FilmIcon } from "@/components/ui/icons";

/** Props of {@link VideoPoster}. */
export interface VideoPosterProps {
  id: string;
  posterUrl: string | null;
  /**
   * False until the CloudFront cookies are issued: a poster requested before
   * that is a 403 from the CDN and would stay broken in the image cache.
   */
  mediaReady: boolean;
  priority?: boolean;
}

/** A 16:9 poster, or a tinted placeholder when there is none or it fails to load. */
export function VideoPoster({ id, posterUrl, mediaReady, priority = false }: VideoPosterProps) {
  const [failed, setFailed] = useState(false);
  const showImage = Boolean(posterUrl) && mediaReady && !failed;
  return (
    <div
      className="absolute inset-0 flex items-center justify-center"
      style={{ background: placeholderGradient(id) }}
    >
      <FilmIcon className="size-8 text-white/40" />
      {showImage && posterUrl && (
        // A plain img: posters are behind signed cookies on the same origin, so
        // no image optimizer may fetch them on the member's behalf.
        // eslint-disable-next-line @next/next/no-img-element
        <img
          src={posterUrl}
          alt=""
          loading={priority ? "eager" : "lazy"}
          decoding="async"
          onError={() => setFailed(true)}
          className="absolute inset-0 size-full object-cover transition-transform duration-500 ease-out group-hover:scale-[1.03] motion-reduce:transition-none"
        />
      )}
    </div>
  );
}

function placeholderGradient(id: string): string {
  // FNV-1a, so ids that differ in one character still get far-apart hues.
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  const hue = (hash >>> 0) % 360;
  return `linear-gradient(135deg, oklch(0.42 0.09 ${hue}), oklch(0.24 0.05 ${(hue + 50) % 360}))`;
}

import type { Metadata } from "next";
import { Suspense } from "react";
import { bootWatchScript, startWatchPageScript } from "@/components/catalog/watch-boot-script";
import { WatchView } from "@/components/catalog/watch-view";
import { APP_SCRIPTS_ID } from "@/components/player/early-player";
import { EarlyPlayerShell } from "@/components/player/early-shell";
import { HLS_SCRIPT_URL } from "@/components/player/hls-library";

export const metadata: Metadata = { title: "Watch" };

export default function WatchPage() {
  return (
    <>
      {/* The static HTML shows the shell; the app replaces it, adopting its <video>. */}
      <Suspense fallback={<EarlyPlayerShell />}>
        <WatchView />
      </Suspense>
      {/* The page's Next.js scripts, filled in by scripts/finish-static-build.ts. */}
      <script
        id={APP_SCRIPTS_ID}
        type="application/json"
        dangerouslySetInnerHTML={{ __html: "[]" }}
      />
      {/* Requests the record, the cookies and the master playlist (watch-boot-script.ts). */}
      <script dangerouslySetInnerHTML={{ __html: bootWatchScript }} />
      {/*
        hls.js as a plain parser-inserted script, as the bare hls.js page has it: the browser
        compiles it while it downloads, off the main thread, which it does not do for a script
        added later. Rendered by the app (client navigation), it does not run; the player
        then loads hls.js itself.
      */}
      {/* eslint-disable-next-line @next/next/no-sync-scripts -- on purpose, see above */}
      <script src={HLS_SCRIPT_URL} />
      {/* Starts the video, and loads the app when it may (watch-boot-script.ts). */}
      <script dangerouslySetInnerHTML={{ __html: startWatchPageScript }} />
    </>
  );
}

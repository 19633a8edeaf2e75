"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import {
  browserTransport,
  Uploader,
  type ResumeEntry,
  type UploadItem,
} from "@/lib/client/uploader";

const NO_ITEMS: readonly UploadItem[] = [];
const NO_ENTRIES: readonly ResumeEntry[] = [];

function localStorageOrNull(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    // Storage disabled (privacy settings): uploads work, resume after reload does not.
    return null;
  }
}

/**
 * One uploader for the page's lifetime, its rows and the remembered unfinished uploads,
 * re-rendered on every change. Both lists are empty in the static render: localStorage
 * exists only in the browser.
 */
export function useUploader(): {
  uploader: Uploader;
  items: readonly UploadItem[];
  remembered: readonly ResumeEntry[];
} {
  const [uploader] = useState(
    () => new Uploader({ transport: browserTransport(), storage: localStorageOrNull() }),
  );
  const items = useSyncExternalStore(uploader.subscribe, uploader.getSnapshot, () => NO_ITEMS);
  const remembered = useSyncExternalStore(
    uploader.subscribe,
    uploader.rememberedUploads,
    () => NO_ENTRIES,
  );

  useEffect(() => {
    // Leaving the page stops the uploads; they stay resumable, but warn first.
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (uploader.isBusy()) e.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      uploader.dispose();
    };
  }, [uploader]);

  return { uploader, items, remembered };
}

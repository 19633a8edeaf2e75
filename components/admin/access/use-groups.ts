"use client";

import { useCallback, useEffect, useState } from "react";
import { listGroups } from "@/lib/client/groups";
import type { AdminGroup } from "@/lib/contract/types";

/** The member groups, loaded once for an admin page, and a way to load them again. */
export function useGroups(): {
  groups: AdminGroup[];
  loaded: boolean;
  reload: () => void;
} {
  const [groups, setGroups] = useState<AdminGroup[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    listGroups(controller.signal)
      .then((found) => {
        setGroups(found);
        setLoaded(true);
      })
      // The pickers show "no groups yet"; the list's own error is the page's to show.
      .catch(() => {
        if (!controller.signal.aborted) setLoaded(true);
      });
    return () => controller.abort();
  }, [attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { groups, loaded, reload };
}

"use client";

import { useEffect, useSyncExternalStore } from "react";
import { signOut } from "next-auth/react";
import { ApiError, apiFetch } from "./api";
import { clearMediaCookies } from "./media-access";
import type { Me } from "@/lib/contract/types";

/** Who the browser is signed in as, from GET /api/me. */
export type MeState =
  | { status: "loading"; me: null; error: null }
  | { status: "signed-in"; me: Me; error: null }
  | {
      status: "signed-out";
      me: null;
      error: null;
      /** True right after this tab signed out, which is not a reason to ask for sign-in. */
      byUser?: boolean;
    }
  | { status: "error"; me: null; error: ApiError };

const LOADING: MeState = { status: "loading", me: null, error: null };
const SIGNED_OUT = { status: "signed-out", me: null, error: null } as const;
// Another tab signing in or out must update this tab's header too. next-auth's
// signOut() announces itself on the "next-auth" channel; our own sign-in does not
// go through signIn(), so it announces on ours.
const CHANNEL = "reelgate-session";

let state: MeState = LOADING;
let loaded = false;
let inflight: Promise<void> | null = null;
const listeners = new Set<() => void>();

function setState(next: MeState): void {
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-reads GET /api/me; `announce` tells other tabs to do the same. */
export function refreshMe(opts: { announce?: boolean } = {}): Promise<void> {
  if (opts.announce) announce();
  loaded = true;
  inflight ??= apiFetch<Me>("/api/me")
    .then((me) => setState({ status: "signed-in", me, error: null }))
    .catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 401) setState(SIGNED_OUT);
      else
        setState({
          status: "error",
          me: null,
          error: err instanceof ApiError ? err : new ApiError(0, "network", String(err)),
        });
    })
    .finally(() => {
      inflight = null;
    });
  return inflight;
}

/**
 * The signed-in member, shared by every component (one request per page load).
 * Renders "loading" on the server and during hydration.
 */
export function useMe(): MeState {
  const snapshot = useSyncExternalStore(
    subscribe,
    () => state,
    () => LOADING,
  );
  useEffect(() => {
    if (!loaded) void refreshMe();
    return listenToOtherTabs();
  }, []);
  return snapshot;
}

/**
 * Signs out: clears the CloudFront cookies first (DELETE needs no session, but it
 * must happen while this tab still knows it should), then ends the NextAuth session.
 */
export async function signOutMember(): Promise<void> {
  try {
    await clearMediaCookies();
  } catch {
    // The media cookies expire on their own; a failed clear must not keep the
    // member signed in.
  }
  await signOut({ redirect: false });
  setState({ ...SIGNED_OUT, byUser: true });
  announce();
}

let tabListeners = 0;
let channels: BroadcastChannel[] = [];

function listenToOtherTabs(): () => void {
  if (typeof BroadcastChannel === "undefined") return () => {};
  if (tabListeners++ === 0) {
    channels = [new BroadcastChannel(CHANNEL), new BroadcastChannel("next-auth")];
    for (const channel of channels) channel.onmessage = () => void refreshMe();
  }
  return () => {
    if (--tabListeners === 0) {
      for (const channel of channels) channel.close();
      channels = [];
    }
  };
}

function announce(): void {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ event: "session" });
  channel.close();
}

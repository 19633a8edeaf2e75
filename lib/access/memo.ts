import "server-only";
import { getDatabase, type Database } from "@/lib/db";
import { env } from "@/lib/env";
import { getLogger } from "@/lib/observability/logger";

// Access decisions (may this member play this video, which groups is this member in)
// are read on every credential issue and renewal; the query behind them costs more than
// signing does. They are kept here, per API server, until the data they rest on
// changes: migration 0004's triggers NOTIFY `reelgate_access` at the commit of any
// change to a video's publication, status or playlist, its groups, or a group's
// members, and every server listening drops all it holds. The database tells every
// server, whichever one (or the worker) made the change, within a moment of the commit.
//
// Safe by construction: nothing is kept while the subscription is not live (before it
// starts, after a lost connection until it is back); an answer read while a notice
// arrived is not kept (the generation check); and no entry outlives
// ACCESS_MEMO_SECONDS even if a notice were lost without the connection noticing.
// ACCESS_MEMO_SECONDS=0 turns the memo off.

const CHANNEL = "reelgate_access";
const MAX_ENTRIES = 50_000;

interface Memo {
  live: boolean;
  generation: number;
  entries: Map<string, { value: unknown; until: number }>;
}

const memos = new WeakMap<Database, Promise<Memo>>();

function drop(memo: Memo): void {
  memo.generation += 1;
  memo.entries.clear();
}

function memoOf(database: Database): Promise<Memo> {
  let pending = memos.get(database);
  if (!pending) {
    const memo: Memo = { live: false, generation: 0, entries: new Map() };
    pending = database
      .listen(CHANNEL, {
        onNotify: () => drop(memo),
        onReady: () => {
          drop(memo);
          memo.live = true;
        },
        onLost: () => {
          memo.live = false;
          drop(memo);
        },
      })
      .then(
        () => memo,
        (err: unknown) => {
          // No subscription, no memo: every decision goes to the database.
          getLogger("access").warn(`access memo off: ${(err as Error).message}`);
          return memo;
        },
      );
    memos.set(database, pending);
  }
  return pending;
}

/**
 * `load()`'s answer for `key`, from the memo when it holds one. `key` must name
 * everything the answer depends on (the viewer's id and role, the video).
 */
export async function remembered<T>(key: string, load: () => Promise<T>): Promise<T> {
  const ttlMs = env().ACCESS_MEMO_SECONDS * 1000;
  if (ttlMs === 0) return load();
  const memo = await memoOf(await getDatabase());
  const now = Date.now();
  const hit = memo.entries.get(key);
  if (memo.live && hit && hit.until > now) return hit.value as T;
  const seen = memo.generation;
  const value = await load();
  if (memo.live && memo.generation === seen) {
    if (memo.entries.size >= MAX_ENTRIES) memo.entries.clear();
    memo.entries.set(key, { value, until: now + ttlMs });
  }
  return value;
}

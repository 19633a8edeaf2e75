import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

/** What the code serving one API request may ask about it. */
export interface RequestContext {
  requestId: string;
}

// One store per process (globalThis: Next.js bundles the route modules apart).
const shared = globalThis as { __reelgateRequestStore?: AsyncLocalStorage<RequestContext> };
const store = (shared.__reelgateRequestStore ??= new AsyncLocalStorage<RequestContext>());

/** Runs `fn` as part of the request `context`. */
export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return store.run(context, fn);
}

/** The request being served, if any. */
export function currentRequest(): RequestContext | undefined {
  return store.getStore();
}

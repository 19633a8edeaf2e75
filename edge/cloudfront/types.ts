import type { KeyObject } from "node:crypto";

/** One public key of the behavior's trusted key group, named by its CloudFront public key ID. */
export interface TrustedKey {
  /** The CloudFront public key ID that `Key-Pair-Id` / `CloudFront-Key-Pair-Id` must name. */
  id: string;
  /** An RSA-2048 or ECDSA P-256 public key (a KeyObject of type "public"). */
  publicKey: KeyObject;
}

/** What the verifier needs to know about one viewer request to a protected path. */
export interface MediaRequest {
  /**
   * The full URL exactly as the viewer requested it, `scheme://host/path?query`, with the path
   * and query still percent-encoded as they came on the wire. Resources are matched against
   * this string byte for byte, so do not normalize or decode it.
   */
  url: string;
  /** The request's cookies by name (see `parseCookieHeader`); values are used verbatim. */
  cookies: Readonly<Record<string, string | undefined>>;
  /** The real peer address of the TCP connection (never X-Forwarded-For). */
  sourceIp: string;
  /** The time of the request in epoch milliseconds; defaults to `Date.now()`. */
  now?: number;
}

/** Options of `createVerifier`. */
export interface VerifierOptions {
  /**
   * How many signature checks to remember (LRU). 0 turns the cache off. Default 10,000.
   * Only the outcome of decoding, parsing and the signature check is cached; time, resource and
   * address conditions are evaluated afresh on every request.
   */
  cacheSize?: number;
}

/** The request may pass. */
export interface Grant {
  ok: true;
  /** Whether the signed URL's query parameters or the signed cookies granted access. */
  via: "url" | "cookie";
  /** Canned (`Expires`) or custom (`Policy`) policy. */
  policy: "canned" | "custom";
  /** The trusted key that verified the signature. */
  keyId: string;
  /** DateLessThan in epoch milliseconds: the first instant the credentials no longer work. */
  expiresAt: number;
}

/** CloudFront's `<Code>` values for a refused request. */
export type DenialCode =
  "AccessDenied" | "MissingKey" | "InvalidKey" | "MalformedPolicy" | "MalformedSignature";

/** Why a request was refused: one value per failure, for logs and tests (never sent to the viewer). */
export type DenialReason =
  | "missing-key-pair-id"
  | "unknown-key"
  | "duplicate-parameter"
  | "bad-hash-algorithm"
  | "missing-signature"
  | "missing-policy"
  | "bad-expires"
  | "policy-encoding"
  | "policy-not-json"
  | "policy-structure"
  | "policy-unknown-field"
  | "policy-statement-count"
  | "policy-resource"
  | "policy-missing-date-less-than"
  | "policy-epoch"
  | "policy-ip-address"
  | "signature-encoding"
  | "bad-signature"
  | "expired"
  | "not-yet-valid"
  | "wrong-resource"
  | "wrong-address"
  | "internal-error";

/** The request must be answered 403 with `errorXml(denial)`. */
export interface Denial {
  ok: false;
  status: 403;
  code: DenialCode;
  /** CloudFront's `<Message>` text for this code. */
  message: string;
  reason: DenialReason;
}

/** The outcome of checking one request. */
export type Verdict = Grant | Denial;

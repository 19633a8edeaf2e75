import type { Denial, DenialCode, DenialReason } from "./types";

// Code and message pairs as CloudFront sends them (observed responses; the messages differ
// in case and wording between codes, keep them verbatim).
const MESSAGES: Record<DenialCode, string> = {
  AccessDenied: "Access denied",
  MissingKey: "Missing Key-Pair-Id query parameter or cookie value",
  InvalidKey: "Unknown Key",
  MalformedPolicy: "Malformed Policy",
  MalformedSignature: "Could not unencode Signature",
};

const CODES: Record<DenialReason, DenialCode> = {
  "missing-key-pair-id": "MissingKey",
  "unknown-key": "InvalidKey",
  "duplicate-parameter": "AccessDenied",
  "bad-hash-algorithm": "AccessDenied",
  "missing-signature": "AccessDenied",
  "missing-policy": "AccessDenied",
  "bad-expires": "MalformedPolicy",
  "policy-encoding": "MalformedPolicy",
  "policy-not-json": "MalformedPolicy",
  "policy-structure": "MalformedPolicy",
  "policy-unknown-field": "MalformedPolicy",
  "policy-statement-count": "MalformedPolicy",
  "policy-resource": "MalformedPolicy",
  "policy-missing-date-less-than": "MalformedPolicy",
  "policy-epoch": "MalformedPolicy",
  "policy-ip-address": "MalformedPolicy",
  "signature-encoding": "MalformedSignature",
  "bad-signature": "AccessDenied",
  expired: "AccessDenied",
  "not-yet-valid": "AccessDenied",
  "wrong-resource": "AccessDenied",
  "wrong-address": "AccessDenied",
  "internal-error": "AccessDenied",
};

// Denials are immutable and shared, so refusing a request allocates nothing.
const DENIALS = new Map<DenialReason, Denial>(
  (Object.keys(CODES) as DenialReason[]).map((reason) => {
    const code = CODES[reason];
    const denial: Denial = { ok: false, status: 403, code, message: MESSAGES[code], reason };
    return [reason, Object.freeze(denial)];
  }),
);

const BODIES = new Map<DenialCode, string>(
  (Object.keys(MESSAGES) as DenialCode[]).map((code) => [
    code,
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${MESSAGES[code]}</Message></Error>`,
  ]),
);

/** The shared, frozen denial for one reason. */
export function deny(reason: DenialReason): Denial {
  return DENIALS.get(reason) ?? (DENIALS.get("internal-error") as Denial);
}

/**
 * CloudFront's 403 body for a denial (serve it as `text/xml`), e.g.
 * `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>`.
 * The body depends on the code only; the internal `reason` never reaches the viewer.
 */
export function errorXml(denial: Pick<Denial, "code">): string {
  return BODIES.get(denial.code) ?? (BODIES.get("AccessDenied") as string);
}

export { createVerifier } from "./create-verifier";
export { errorXml } from "./denial";
export { loadTrustedKeys } from "./load-trusted-keys";
export { parseCookieHeader } from "./parse-cookie-header";
export { signingKeyType, SIGNING_KEY_LABELS, type SigningKeyType } from "./signing-key-type";
export type {
  Denial,
  DenialCode,
  DenialReason,
  Grant,
  MediaRequest,
  TrustedKey,
  Verdict,
  VerifierOptions,
} from "./types";

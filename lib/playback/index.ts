import "server-only";

// Media credentials as members get them: playback cookies for one video at a time
// (stream-counted, audited), catalog cookies for the images they may see, signed URLs
// held to the same rule, and sign-out that clears them all. Signing itself is
// lib/cloudfront; the rule of who may watch what is lib/access.
export { issueCatalogCookies, issuePlaybackCookies, type Issued } from "./issue";
export { issueSignedUrl } from "./signed-url";
export { clearCookiesBody, signOutMedia } from "./sign-out";
export { listMemberStreams, stopMemberStream } from "./streams";
export { catalogScopes, clearableScope, videoScope, ALL_MEDIA } from "./scopes";
export { renewAfterSeconds, streamTtlMs } from "./timing";
export { signedCookiesBody, streamParams } from "./schemas";

import "server-only";

export { handlers, auth } from "./config";
export { withSession, withErrors, currentUser, type SessionUser } from "./with-session";
export { hashPassword, verifyPassword } from "./password";
export * from "./users";
export { lockedFor, recordFailure, recordSuccess, throttleKeys } from "./throttle";

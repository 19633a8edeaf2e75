import "server-only";

export { handlers, auth } from "./config";
export { withSession, currentUser, type SessionUser } from "./with-session";
export { hashPassword, verifyPassword } from "./password";
export * from "./users";
export {
  recordSignInFailure,
  recordSignInSuccess,
  signInAlerts,
  signInWait,
  throttleKeys,
  useThrottleStore,
  type SignInAlert,
} from "./throttle";
export type { ThrottleStore, ThrottleState } from "./throttle-store";
export { endSession, endUserSessions, listSessions, findSession } from "./sessions";

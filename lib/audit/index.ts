import "server-only";

// The access log: who was issued which video's credentials, when and from where.
export {
  flushAccessLog,
  listAccessLog,
  purgeAccessLog,
  recordGrant,
  type GrantEvent,
} from "./access-log";
export { accessLogQuery } from "./schemas";

import "server-only";

// Member groups (entitlements): admins make them, put members in them and give videos
// to them. The rule they feed is lib/access.
export {
  createGroup,
  deleteGroup,
  getGroup,
  groupIdsByUser,
  groupIdsByVideo,
  groupIdsOf,
  listGroups,
  setUserGroups,
  setVideoGroups,
  updateGroup,
  withGroupIds,
} from "./service";
export { createGroupBody, groupIdSet, groupParams, updateGroupBody } from "./schemas";

import "server-only";
import { findUserById, toAdminUser, updateUser } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { getStreamRegistry } from "@/lib/streams";
import type { AdminUser, Role } from "@/lib/contract/types";
import { assertGroupsExist, setUserGroups, withGroupIds } from "./service";

/**
 * PATCH /api/admin/users/{id}: the account's fields and its groups. A disabled member's
 * streams end at once; their renewals are refused from now on (the session check reads
 * `disabled` on every call) and what they hold expires within SIGNED_COOKIE_TTL_SECONDS.
 */
export async function patchAccount(
  id: string,
  patch: { role?: Role; disabled?: boolean; name?: string | null; groupIds?: string[] },
  actingUserId: string,
): Promise<AdminUser> {
  const { groupIds, ...fields } = patch;
  // Every refusal before the first write: a bad group leaves the account as it was.
  if (groupIds) await assertGroupsExist(groupIds);
  const row =
    Object.keys(fields).length > 0
      ? await updateUser(id, fields, actingUserId)
      : await findUserById(id);
  if (!row) throw new AppError("not_found", "No such user.");
  if (groupIds) await setUserGroups(id, groupIds);
  if (fields.disabled === true) await getStreamRegistry().endAll(id);
  const [account] = await withGroupIds([toAdminUser(row)]);
  return account!;
}

/** GET /api/admin/users with each account's groups. */
export async function listAccounts(users: AdminUser[]): Promise<AdminUser[]> {
  return withGroupIds(users);
}

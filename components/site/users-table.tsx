"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { fieldClasses } from "@/components/ui/text-field";
import { AccessLog } from "@/components/admin/access/access-log";
import { GroupPicker } from "@/components/admin/access/group-picker";
import { LazyDetails } from "@/components/admin/access/lazy-details";
import type { AdminGroup, AdminUser, Role } from "@/lib/contract/types";

/** PATCH /api/admin/users/{id} body. */
export interface UserPatch {
  role?: Role;
  disabled?: boolean;
  groupIds?: string[];
}

/** Props of {@link UsersTable}. */
export interface UsersTableProps {
  users: AdminUser[];
  /** The member groups, to put users in. */
  groups: AdminGroup[];
  /** The admin viewing the page: their own row is read-only, so they cannot lock themselves out. */
  currentUserId: string | null;
  busyIds: ReadonlySet<string>;
  onPatch: (user: AdminUser, patch: UserPatch) => void;
  /** Makes a one-time password reset link for the user (shown once by the caller). */
  onResetLink: (user: AdminUser) => void;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** The user list with per-row role and enable/disable controls. */
export function UsersTable({
  users,
  groups,
  currentUserId,
  busyIds,
  onPatch,
  onResetLink,
}: UsersTableProps) {
  if (users.length === 0) {
    return <p className="text-sm text-muted">No users yet.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-2xl bg-surface shadow-card ring-1 ring-line">
      <table className="w-full min-w-[40rem] text-left text-sm">
        <caption className="sr-only">Users</caption>
        <thead className="border-b border-line text-xs font-semibold tracking-wide text-muted uppercase">
          <tr>
            <th scope="col" className="px-5 py-3">
              User
            </th>
            <th scope="col" className="px-5 py-3">
              Role
            </th>
            <th scope="col" className="px-5 py-3">
              Groups
            </th>
            <th scope="col" className="px-5 py-3">
              Status
            </th>
            <th scope="col" className="hidden px-5 py-3 md:table-cell">
              Created
            </th>
            <th scope="col" className="px-5 py-3 text-right">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {users.map((user) => {
            const self = user.id === currentUserId;
            const busy = busyIds.has(user.id);
            const created = new Date(user.createdAt);
            return (
              <tr key={user.id} className={cx(user.disabled && "bg-surface-2/50")}>
                <th scope="row" className="px-5 py-3.5 font-normal">
                  <div className="flex items-center gap-2">
                    <span className="truncate font-medium text-fg">{user.name || user.email}</span>
                    {self && <Badge tone="accent">You</Badge>}
                  </div>
                  {user.name && <div className="truncate text-xs text-muted">{user.email}</div>}
                  <LazyDetails summary="Access log">
                    <AccessLog userId={user.id} />
                  </LazyDetails>
                </th>
                <td className="px-5 py-3.5">
                  <select
                    aria-label={`Role for ${user.email}`}
                    value={user.role}
                    disabled={self || busy}
                    onChange={(e) => onPatch(user, { role: e.target.value as Role })}
                    className={cx(fieldClasses, "h-9 w-32 py-0 text-sm")}
                  >
                    <option value="member">Member</option>
                    <option value="admin">Admin</option>
                  </select>
                </td>
                <td className="px-5 py-3.5">
                  <GroupPicker
                    label={`Groups for ${user.email}`}
                    groups={groups}
                    selected={user.groupIds}
                    emptyText={user.role === "admin" ? "All (admin)" : "No groups"}
                    disabled={busy}
                    onChange={(groupIds) => onPatch(user, { groupIds })}
                  />
                </td>
                <td className="px-5 py-3.5">
                  {user.disabled ? (
                    <Badge tone="danger">Disabled</Badge>
                  ) : (
                    <Badge tone="success">Active</Badge>
                  )}
                </td>
                <td className="hidden px-5 py-3.5 text-muted md:table-cell">
                  {Number.isNaN(created.getTime()) ? "—" : dateFormat.format(created)}
                </td>
                <td className="space-x-2 px-5 py-3.5 text-right whitespace-nowrap">
                  <Button
                    size="sm"
                    variant="secondary"
                    disabled={self || user.disabled || busy}
                    aria-label={`Password reset link for ${user.email}`}
                    onClick={() => onResetLink(user)}
                  >
                    Reset link
                  </Button>
                  <Button
                    size="sm"
                    variant={user.disabled ? "secondary" : "danger"}
                    disabled={self}
                    pending={busy}
                    aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.email}`}
                    onClick={() => onPatch(user, { disabled: !user.disabled })}
                  >
                    {user.disabled ? "Enable" : "Disable"}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

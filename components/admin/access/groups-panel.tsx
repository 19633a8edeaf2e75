"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { fieldClasses } from "@/components/ui/text-field";
import { ApiError } from "@/lib/client/api";
import { createGroup, deleteGroup, updateGroup } from "@/lib/client/groups";
import type { AdminGroup } from "@/lib/contract/types";

/** Props of {@link GroupsPanel}. */
export interface GroupsPanelProps {
  groups: AdminGroup[];
  /** Called after any change, to load the groups (and their counts) again. */
  onChanged: () => void;
}

const message = (err: unknown) => (err instanceof ApiError ? err.message : "Something went wrong.");

/**
 * Member groups (entitlements) on the users page: make, rename and delete them. Members
 * are put in groups in the table below, videos on the videos page; a video with no
 * group is open to every member.
 */
export function GroupsPanel({ groups, onChanged }: GroupsPanelProps) {
  const [name, setName] = useState("");
  const [pending, setPending] = useState(false);
  const [notice, setNotice] = useState<{ tone: "success" | "danger"; text: string } | null>(null);

  async function act(action: () => Promise<unknown>, done: string) {
    setPending(true);
    setNotice(null);
    try {
      await action();
      setNotice({ tone: "success", text: done });
      onChanged();
      return true;
    } catch (err) {
      setNotice({ tone: "danger", text: message(err) });
      return false;
    } finally {
      setPending(false);
    }
  }

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    if (await act(() => createGroup({ name: trimmed }), `Created the group “${trimmed}”.`)) {
      setName("");
    }
  }

  return (
    <section aria-labelledby="groups-heading" className="space-y-4">
      <div>
        <h2 id="groups-heading" className="font-display text-xl font-semibold text-fg">
          Groups
        </h2>
        <p className="mt-1 text-sm text-muted">
          A video given to groups is open to their members only; a video with no group, to every
          member.
        </p>
      </div>
      <form onSubmit={onCreate} className="flex max-w-md gap-2">
        <label htmlFor="new-group" className="sr-only">
          New group name
        </label>
        <input
          id="new-group"
          value={name}
          maxLength={80}
          placeholder="New group, e.g. Premium"
          onChange={(e) => setName(e.target.value)}
          className={cx(fieldClasses, "h-9 text-sm")}
        />
        <Button type="submit" size="sm" pending={pending} disabled={!name.trim()}>
          Add group
        </Button>
      </form>
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
      {groups.length > 0 && (
        <ul
          aria-label="Groups"
          className="divide-y divide-line rounded-2xl bg-surface ring-1 ring-line"
        >
          {groups.map((group) => (
            <GroupItem
              key={group.id}
              group={group}
              pending={pending}
              onRename={(next) =>
                act(() => updateGroup(group.id, { name: next }), `Renamed to “${next}”.`)
              }
              onDelete={() => act(() => deleteGroup(group.id), `Deleted “${group.name}”.`)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function GroupItem({
  group,
  pending,
  onRename,
  onDelete,
}: {
  group: AdminGroup;
  pending: boolean;
  onRename: (name: string) => Promise<boolean>;
  onDelete: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(group.name);
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm">
      {editing ? (
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void onRename(name.trim()).then((ok) => ok && setEditing(false));
          }}
        >
          <label htmlFor={`rename-${group.id}`} className="sr-only">
            Name of {group.name}
          </label>
          <input
            id={`rename-${group.id}`}
            value={name}
            maxLength={80}
            onChange={(e) => setName(e.target.value)}
            className={cx(fieldClasses, "h-8 text-sm")}
            autoFocus
          />
          <Button type="submit" size="sm" pending={pending} disabled={!name.trim()}>
            Save
          </Button>
        </form>
      ) : (
        <span>
          <span className="font-medium text-fg">{group.name}</span>
          <span className="text-muted">
            {" "}
            · {group.memberCount} member{group.memberCount === 1 ? "" : "s"} · {group.videoCount}{" "}
            video{group.videoCount === 1 ? "" : "s"}
          </span>
        </span>
      )}
      <span className="flex gap-2">
        {!editing && (
          <Button size="sm" variant="ghost" onClick={() => setEditing(true)}>
            Rename
          </Button>
        )}
        <Button
          size="sm"
          variant="danger"
          disabled={pending}
          aria-label={`Delete the group ${group.name}`}
          onClick={onDelete}
        >
          Delete
        </Button>
      </span>
    </li>
  );
}

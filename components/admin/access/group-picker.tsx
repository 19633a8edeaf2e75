"use client";

import { useId } from "react";
import type { AdminGroup } from "@/lib/contract/types";

/** Props of {@link GroupPicker}. */
export interface GroupPickerProps {
  /** What the picker is for, e.g. "Groups for ada@example.com". */
  label: string;
  groups: AdminGroup[];
  selected: string[];
  /** Shown when nothing is selected, e.g. "Open to every member". */
  emptyText: string;
  disabled?: boolean;
  /** Called with the whole new set. */
  onChange: (groupIds: string[]) => void;
}

/** Chooses a set of member groups: a summary of the choice, and checkboxes to change it. */
export function GroupPicker({
  label,
  groups,
  selected,
  emptyText,
  disabled,
  onChange,
}: GroupPickerProps) {
  const id = useId();
  const names = groups.filter((g) => selected.includes(g.id)).map((g) => g.name);
  const toggle = (groupId: string, on: boolean) =>
    onChange(on ? [...selected, groupId] : selected.filter((g) => g !== groupId));
  return (
    <details className="group relative text-sm">
      <summary
        aria-label={`${label}: ${names.length > 0 ? names.join(", ") : emptyText}`}
        className="cursor-pointer text-muted select-none hover:text-fg"
      >
        {names.length > 0 ? names.join(", ") : emptyText}
      </summary>
      <fieldset
        id={id}
        disabled={disabled}
        className="absolute z-10 mt-2 min-w-48 space-y-1 rounded-lg bg-surface p-3 shadow-card ring-1 ring-line"
      >
        <legend className="sr-only">{label}</legend>
        {groups.length === 0 && (
          <p className="text-muted">No groups yet: make one on the Users page.</p>
        )}
        {groups.map((group) => (
          <label key={group.id} className="flex items-center gap-2 whitespace-nowrap">
            <input
              type="checkbox"
              checked={selected.includes(group.id)}
              onChange={(e) => toggle(group.id, e.target.checked)}
            />
            {group.name}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

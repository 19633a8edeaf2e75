"use client";

import { useEffect, useRef, useState } from "react";
import { SearchIcon, XIcon } from "@/components/ui/icons";
import { cx } from "@/components/ui/cx";
import { fieldClasses } from "@/components/ui/text-field";

/** Props of {@link CatalogSearch}. */
export interface CatalogSearchProps {
  /** The query in the URL; the box follows it on back/forward navigation. */
  query: string;
  onQueryChange: (query: string) => void;
  delayMs?: number;
}

/** The catalog's search box: reports the trimmed query once typing pauses. */
export function CatalogSearch({ query, onQueryChange, delayMs = 300 }: CatalogSearchProps) {
  const [value, setValue] = useState(query);
  const lastSent = useRef(query);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (query !== lastSent.current) {
      lastSent.current = query;
      setValue(query);
    }
  }, [query]);

  useEffect(() => () => clearTimeout(timer.current), []);

  function send(next: string) {
    clearTimeout(timer.current);
    const trimmed = next.trim();
    if (trimmed === lastSent.current) return;
    lastSent.current = trimmed;
    onQueryChange(trimmed);
  }

  function onChange(next: string) {
    setValue(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => send(next), delayMs);
  }

  return (
    <form
      role="search"
      className="relative w-full sm:max-w-xs"
      onSubmit={(e) => {
        e.preventDefault();
        send(value);
      }}
    >
      <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-subtle" />
      <input
        type="search"
        aria-label="Search videos"
        placeholder="Search videos"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && value) {
            e.preventDefault();
            setValue("");
            send("");
          }
        }}
        autoComplete="off"
        className={cx(fieldClasses, "h-10 pr-9 pl-9 [&::-webkit-search-cancel-button]:hidden")}
      />
      {value && (
        <button
          type="button"
          aria-label="Clear search"
          onClick={() => {
            setValue("");
            send("");
          }}
          className="absolute top-1/2 right-2 flex size-6 -translate-y-1/2 items-center justify-center rounded-md text-subtle hover:bg-surface-2 hover:text-fg"
        >
          <XIcon className="size-4" />
        </button>
      )}
    </form>
  );
}

"use client";

import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from "react";
import { controlButton } from "./control-styles";
import { CheckIcon } from "./icons";

/** One choice of a {@link PlayerMenu}. */
export interface MenuOption<T> {
  value: T;
  label: string;
  /**
   * Extra visible text kept out of the accessible name, e.g. the level Auto is playing:
   * "Auto (540p)" as a name would also match a search for the "540p" item.
   */
  hint?: string;
}

/** Props of {@link PlayerMenu}. */
export interface PlayerMenuProps<T> {
  /** Accessible name of the button and the menu, e.g. "Quality". */
  label: string;
  /** Visible content of the button (icon, current value). */
  button: ReactNode;
  options: MenuOption<T>[];
  selected: T;
  onSelect: (value: T) => void;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/**
 * Menu button with a single-choice list (role=menu, items role=menuitemradio). Arrow keys
 * move between items, Escape closes and returns focus to the button, a click outside closes.
 */
export function PlayerMenu<T>(props: PlayerMenuProps<T>) {
  const { label, button, options, selected, onSelect, open, onOpenChange } = props;
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const items = menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]');
    const checked = menuRef.current?.querySelector<HTMLElement>('[aria-checked="true"]');
    (checked ?? items?.[0])?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) onOpenChange(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open, onOpenChange]);

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [
      ...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? []),
    ];
    const index = items.indexOf(document.activeElement as HTMLElement);
    let next: number | null = null;
    if (event.key === "ArrowDown") next = (index + 1) % items.length;
    else if (event.key === "ArrowUp") next = (index - 1 + items.length) % items.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = items.length - 1;
    else if (event.key === "Escape") {
      onOpenChange(false);
      buttonRef.current?.focus();
    } else if (event.key === "Tab") {
      onOpenChange(false);
      return;
    } else return;
    event.preventDefault();
    event.stopPropagation();
    if (next !== null) items[next]?.focus();
  };

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => onOpenChange(!open)}
        className={controlButton}
      >
        {button}
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKeyDown}
          className="absolute right-0 bottom-full z-30 mb-2 max-h-72 min-w-44 overflow-y-auto rounded-xl border border-white/10 bg-neutral-900/95 p-1.5 text-sm shadow-2xl backdrop-blur-md"
        >
          <div className="px-3 pt-1.5 pb-1 text-xs font-semibold tracking-wide text-white/50 uppercase">
            {label}
          </div>
          {options.map((option) => {
            const checked = option.value === selected;
            return (
              <button
                key={String(option.value)}
                type="button"
                role="menuitemradio"
                aria-checked={checked}
                tabIndex={-1}
                onClick={() => {
                  onSelect(option.value);
                  onOpenChange(false);
                  buttonRef.current?.focus();
                }}
                className="flex w-full items-center gap-3 rounded-lg px-3 py-2 text-left text-white/90 hover:bg-white/10 focus-visible:bg-white/15 focus-visible:outline-none aria-checked:font-semibold aria-checked:text-white"
              >
                <span className="flex size-4 shrink-0 items-center justify-center text-accent">
                  {checked && <CheckIcon />}
                </span>
                <span>
                  {option.label}
                  {option.hint && (
                    <span aria-hidden="true" className="text-white/60">
                      {" "}
                      {option.hint}
                    </span>
                  )}
                </span>
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}

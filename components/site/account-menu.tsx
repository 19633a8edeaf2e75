"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { ChevronDownIcon } from "@/components/ui/icons";
import { Spinner } from "@/components/ui/spinner";
import { cx } from "@/components/ui/cx";
import { signOutMember } from "@/lib/client/session";
import type { Me } from "@/lib/contract/types";

const itemBase =
  "flex w-full items-center gap-2 rounded-lg px-3 py-2 text-left text-sm hover:bg-surface-2 focus:bg-surface-2 focus:outline-none";
const itemClasses = `${itemBase} text-fg`;

/** The signed-in member's menu in the header: who, admin link, sign out. */
export function AccountMenu({ me }: { me: Me }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointerDown = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  function close(refocus: boolean) {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }

  function onMenuKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const items = Array.from(
      menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [],
    );
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === "Escape") {
      e.preventDefault();
      close(true);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      items[e.key === "Home" ? 0 : items.length - 1]?.focus();
    } else if (e.key === "Tab") {
      close(false);
    }
  }

  async function onSignOut() {
    setSigningOut(true);
    try {
      await signOutMember();
      setOpen(false);
      router.push("/");
    } finally {
      setSigningOut(false);
    }
  }

  const label = me.name?.trim() || me.email;
  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-label="Account menu"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((v) => !v)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
          }
        }}
        className="flex items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm text-fg ring-1 ring-line transition-colors ring-inset hover:bg-surface-2"
      >
        <Avatar name={label} />
        <span className="hidden max-w-[10rem] truncate font-medium sm:block">{label}</span>
        <ChevronDownIcon
          className={cx("size-4 text-muted transition-transform", open && "rotate-180")}
        />
      </button>
      {open && (
        <div
          className="absolute right-0 z-50 mt-2 w-64 origin-top-right rounded-xl bg-surface p-1.5 shadow-lift ring-1 ring-line"
          onKeyDown={onMenuKeyDown}
        >
          <div className="border-b border-line px-3 pt-2 pb-3">
            <p className="truncate text-sm font-semibold text-fg">{label}</p>
            {label !== me.email && <p className="truncate text-xs text-muted">{me.email}</p>}
            {me.role === "admin" && (
              <p className="mt-1 text-xs font-medium text-accent">Administrator</p>
            )}
          </div>
          <div ref={menuRef} id={menuId} role="menu" aria-label="Account" className="pt-1.5">
            <Link
              role="menuitem"
              href="/videos"
              className={itemClasses}
              onClick={() => close(false)}
            >
              Browse videos
            </Link>
            <Link
              role="menuitem"
              href="/account"
              className={itemClasses}
              onClick={() => close(false)}
            >
              Account and sessions
            </Link>
            {me.role === "admin" && (
              <Link
                role="menuitem"
                href="/admin"
                className={itemClasses}
                onClick={() => close(false)}
              >
                Admin dashboard
              </Link>
            )}
            <button
              role="menuitem"
              type="button"
              className={cx(itemBase, "text-danger")}
              onClick={onSignOut}
              disabled={signingOut}
              aria-busy={signingOut || undefined}
            >
              {signingOut && <Spinner className="size-4" />}
              Sign out
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function Avatar({ name }: { name: string }) {
  const initials =
    name
      .replace(/@.*/, "")
      .split(/[\s._-]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]?.toUpperCase())
      .join("") || "?";
  return (
    <span
      aria-hidden="true"
      className="flex size-7 items-center justify-center rounded-full bg-linear-to-br from-accent to-[oklch(0.55_0.2_330)] text-xs font-bold text-accent-fg"
    >
      {initials}
    </span>
  );
}

import type { ReactNode } from "react";
import { LogoMark } from "./logo";

/** Props of {@link AuthCard}. */
export interface AuthCardProps {
  title: string;
  subtitle?: string;
  children: ReactNode;
}

/** The centred card of the sign-in and sign-out pages. */
export function AuthCard({ title, subtitle, children }: AuthCardProps) {
  return (
    <div className="relative isolate flex flex-1 items-center justify-center px-4 py-12 sm:py-20">
      <div
        aria-hidden="true"
        className="absolute inset-0 -z-10 bg-[radial-gradient(40rem_22rem_at_50%_0%,var(--accent-soft),transparent_70%)]"
      />
      <div className="w-full max-w-md rounded-2xl bg-surface p-6 shadow-lift ring-1 ring-line sm:p-8">
        <LogoMark className="size-10" />
        <h1 className="mt-6 font-display text-2xl font-bold tracking-tight text-fg">{title}</h1>
        {subtitle && <p className="mt-1.5 text-sm text-muted">{subtitle}</p>}
        <div className="mt-8">{children}</div>
      </div>
    </div>
  );
}

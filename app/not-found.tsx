import type { Metadata } from "next";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="mx-auto flex w-full max-w-2xl flex-1 flex-col items-center justify-center px-6 py-24 text-center">
      <p className="font-mono text-sm font-semibold tracking-widest text-accent">404</p>
      <h1 className="mt-3 font-display text-3xl font-bold tracking-tight text-fg sm:text-4xl">
        Page not found
      </h1>
      <p className="mt-3 text-base text-muted">
        The page you asked for is not here. It may have moved, or the address has a typo.
      </p>
      <div className="mt-8 flex flex-col gap-3 sm:flex-row">
        <Link href="/" className={buttonClasses("primary", "lg")}>
          Go to the home page
        </Link>
        <Link href="/videos" className={buttonClasses("secondary", "lg")}>
          Browse the catalog
        </Link>
      </div>
    </main>
  );
}

import type { ReactNode } from "react";

/** Public pages: the landing page and the sign-in/sign-out screens. */
export default function PublicLayout({ children }: { children: ReactNode }) {
  return <main className="flex flex-1 flex-col">{children}</main>;
}

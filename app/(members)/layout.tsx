import type { ReactNode } from "react";

/**
 * Members' pages. There is no guard here: each page's API call answers 401 when
 * signed out, and the page sends the browser to /signin with a callbackUrl.
 */
export default function MembersLayout({ children }: { children: ReactNode }) {
  return (
    <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-8 sm:px-6 sm:py-10 lg:px-8">
      {children}
    </main>
  );
}

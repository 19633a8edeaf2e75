import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AdminGuard } from "@/components/site/admin-guard";
import { AdminNav } from "@/components/site/admin-nav";

export const metadata: Metadata = {
  title: { template: "%s · Admin · Reelgate", default: "Admin" },
};

/** Admin pages: a sub-navigation behind a role check (the API enforces it again). */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-8 sm:px-6 sm:py-10 lg:px-8">
      <AdminGuard>
        <div className="mb-8 border-b border-line pb-3">
          <AdminNav />
        </div>
        {children}
      </AdminGuard>
    </main>
  );
}

import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { LockIcon } from "@/components/ui/icons";

/** Shown to a signed-in member who opens an admin page (the API answers 403 anyway). */
export function AdminsOnly() {
  return (
    <EmptyState
      title="Admins only"
      icon={<LockIcon className="size-6" />}
      action={
        <Link href="/videos" className={buttonClasses("secondary")}>
          Back to the catalog
        </Link>
      }
    >
      This area is for Reelgate administrators. If you need access, ask an administrator to change
      your role.
    </EmptyState>
  );
}

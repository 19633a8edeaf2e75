import type { Metadata } from "next";
import { UsersAdmin } from "@/components/site/users-admin";

export const metadata: Metadata = { title: "Users" };

export default function AdminUsersPage() {
  return <UsersAdmin />;
}

import type { Metadata } from "next";
import { AdminDashboard } from "@/components/site/admin-dashboard";

export const metadata: Metadata = { title: "Dashboard" };

export default function AdminPage() {
  return <AdminDashboard />;
}

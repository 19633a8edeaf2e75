import type { Metadata } from "next";
import { AnalyticsAdmin } from "@/components/admin/analytics/analytics-admin";

export const metadata: Metadata = { title: "Analytics" };

export default function AdminAnalyticsPage() {
  return <AnalyticsAdmin />;
}

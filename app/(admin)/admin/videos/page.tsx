import type { Metadata } from "next";
import { VideosAdmin } from "@/components/admin/videos-admin";

export const metadata: Metadata = { title: "Videos" };

export default function AdminVideosPage() {
  return <VideosAdmin />;
}

import type { Metadata } from "next";
import { UploadPanel } from "@/components/upload/upload-panel";

export const metadata: Metadata = { title: "Upload" };

export default function AdminUploadPage() {
  return <UploadPanel />;
}

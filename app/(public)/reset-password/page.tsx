import type { Metadata } from "next";
import { AuthCard } from "@/components/site/auth-card";
import { ResetPasswordForm } from "@/components/site/reset-password-form";

export const metadata: Metadata = { title: "Set a new password", referrer: "no-referrer" };

export default function ResetPasswordPage() {
  return (
    <AuthCard title="Set a new password" subtitle="Your admin sent you this one-time link.">
      <ResetPasswordForm />
    </AuthCard>
  );
}

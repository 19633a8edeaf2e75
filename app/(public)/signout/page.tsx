import type { Metadata } from "next";
import { AuthCard } from "@/components/site/auth-card";
import { SignOutPanel } from "@/components/site/sign-out-panel";

export const metadata: Metadata = { title: "Sign out" };

export default function SignOutPage() {
  return (
    <AuthCard
      title="Sign out"
      subtitle="You will need your email and password to watch again on this device."
    >
      <SignOutPanel />
    </AuthCard>
  );
}

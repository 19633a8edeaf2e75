import type { Metadata } from "next";
import { Suspense } from "react";
import { AuthCard } from "@/components/site/auth-card";
import { SignInForm } from "@/components/site/sign-in-form";
import { Skeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <AuthCard title="Sign in" subtitle="Welcome back. Sign in with your member account.">
      <Suspense fallback={<SignInFormFallback />}>
        <SignInForm />
      </Suspense>
    </AuthCard>
  );
}

// The exported HTML shows this until the browser reads ?callbackUrl=.
function SignInFormFallback() {
  return (
    <div className="space-y-5" aria-busy="true">
      <Skeleton className="h-[4.25rem] w-full" />
      <Skeleton className="h-[4.25rem] w-full" />
      <Skeleton className="h-12 w-full rounded-xl" />
    </div>
  );
}

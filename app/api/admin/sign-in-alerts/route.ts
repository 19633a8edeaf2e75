import { signInAlerts, withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";

// GET /api/admin/sign-in-alerts - accounts with many failed sign-ins now (under attack)
export const GET = withSession(async () => json({ accounts: await signInAlerts() }), {
  role: "admin",
});

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

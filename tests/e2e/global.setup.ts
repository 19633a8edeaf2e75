import { test as setup, expect } from "@playwright/test";
import { accounts, authFile, remote, signInThroughUi } from "./support";

setup("sign in as the admin and the member, once", async ({ page, browser }) => {
  await signInThroughUi(page, accounts.admin.email, accounts.admin.password);
  await page.context().storageState({ path: authFile("admin") });

  if (!remote) {
    // The local preview starts with only the first admin: make the member account.
    const res = await page.request.post("/api/admin/users", {
      data: { email: accounts.member.email, password: accounts.member.password, role: "member" },
    });
    expect([201, 409]).toContain(res.status());
  }

  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await signInThroughUi(memberPage, accounts.member.email, accounts.member.password);
  await memberContext.storageState({ path: authFile("member") });
  await memberContext.close();
});

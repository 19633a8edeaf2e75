import { writeFileSync } from "node:fs";
import { test as setup, expect } from "@playwright/test";
import { accounts, authFile, fixtureFile, remote, signInThroughUi } from "./support";
import { publishTestVideo } from "./media-fixtures";

setup(
  "sign in as the admin and the member, and publish a test video",
  async ({ page, browser }) => {
    setup.setTimeout(400_000);
    await signInThroughUi(page, accounts.admin.email, accounts.admin.password);
    await page.context().storageState({ path: authFile("admin") });

    if (!remote) {
      // The local preview starts with only the first admin: make the member account.
      const res = await page.request.post("/api/admin/users", {
        data: { email: accounts.member.email, password: accounts.member.password, role: "member" },
      });
      expect([201, 409]).toContain(res.status());
    }

    // One published ladder (720p source: 360p, 540p, 720p) for the playback tests.
    const title = `E2E feature ${Date.now()}`;
    const videoId = await publishTestVideo(page.request, title, 24);
    writeFileSync(fixtureFile, JSON.stringify({ videoId, title }));

    const memberContext = await browser.newContext();
    const memberPage = await memberContext.newPage();
    await signInThroughUi(memberPage, accounts.member.email, accounts.member.password);
    // Its first playback gives this browser its device cookie, saved with the session:
    // every test that opens the member's saved state is then the same device, one stream
    // of the member's MAX_STREAMS_PER_MEMBER, as one person's browser would be.
    const issued = await memberPage.request.post("/api/signed-cookies", { data: { videoId } });
    expect(issued.status(), await issued.text()).toBe(200);
    expect((await memberContext.cookies()).some((c) => c.name === "rg-device")).toBe(true);
    await memberContext.storageState({ path: authFile("member") });
    await memberContext.close();
  },
);

import { signInFrom, rawRequest } from "../support/sign-in-request";
import { accounts, createMemberThroughApi, expect, localOnly, test } from "./support";

// The sign-in limits against the ways round them a security review found: other
// spellings of the credentials callback, a form that names two accounts or comes as
// JSON, and a lock-out that anyone could trigger for any account. Each attacker and
// victim sends from its own loopback address (tests/support/sign-in-request.ts), which
// the preview edge reports to the API as the viewer's address, as CloudFront does.
// The preview runs with SIGNIN_MAX_FAILURES=5 and SIGNIN_MAX_FAILURES_PER_ACCOUNT=20.

const LIMIT = 5;
let base: string;

test.beforeEach(() => {
  localOnly("sends from chosen loopback addresses to the local preview");
  base = test.info().project.use.baseURL!;
});

/** The error code of a JSON error answer, or "" for any other answer. */
function codeOf(body: string): string {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? "";
  } catch {
    return "";
  }
}

test("other spellings of the credentials callback never check a password", async ({
  adminPage,
}) => {
  const member = await createMemberThroughApi(adminPage, "spelling");
  const from = "127.0.0.21";
  for (const path of [
    "/api/auth/callback/credentials/",
    "/api/auth//callback/credentials",
    "/api/auth/callback//credentials",
    "/api/auth/callback/credentials//",
  ]) {
    for (let i = 0; i <= LIMIT; i += 1) {
      const wrong = await signInFrom(base, { ...member, password: `wrong-${i}`, from, path });
      expect(wrong.signedIn, path).toBe(false);
      // A JSON 404, or Next's redirect of an empty segment to the canonical path, where
      // a browser that follows it meets the limits. Neither checks the password.
      // (`//` at the end is redirected to `/`, which is a 404.)
      if (wrong.answer.status === 308) {
        expect(wrong.answer.headers.location, path).toMatch(
          /^\/api\/auth\/callback\/credentials\/?$/,
        );
      } else {
        expect(wrong.answer.status, `${path}: ${wrong.answer.body}`).toBe(404);
        expect(codeOf(wrong.answer.body)).toBe("not_found");
      }
    }
    const right = await signInFrom(base, { ...member, from, path });
    expect(right.signedIn, `${path} signed in past the limit`).toBe(false);
  }
  // None of them counted as a failure: the canonical path still signs in from there.
  expect((await signInFrom(base, { ...member, from })).signedIn).toBe(true);
});

test("a form naming two accounts, or not a form at all, is refused before any check", async ({
  adminPage,
}) => {
  const member = await createMemberThroughApi(adminPage, "repeated");
  const from = "127.0.0.22";
  const form = (fields: [string, string][]) => (csrfToken: string) =>
    new URLSearchParams([...fields, ["csrfToken", csrfToken]]).toString();
  for (let i = 0; i <= LIMIT; i += 1) {
    const twoEmails = await signInFrom(base, {
      ...member,
      from,
      body: form([
        ["email", `decoy-${i}@e2e.test`],
        ["email", member.email],
        ["password", `wrong-${i}`],
      ]),
    });
    expect(twoEmails.answer.status, twoEmails.answer.body).toBe(400);
    expect(codeOf(twoEmails.answer.body)).toBe("bad_request");
  }
  const right = await signInFrom(base, {
    ...member,
    from,
    body: form([
      ["email", "decoy@e2e.test"],
      ["email", member.email],
      ["password", member.password],
    ]),
  });
  expect(right.signedIn).toBe(false);
  const twoPasswords = await signInFrom(base, {
    ...member,
    from,
    body: form([
      ["email", member.email],
      ["password", "wrong"],
      ["password", member.password],
    ]),
  });
  expect(twoPasswords.answer.status).toBe(400);
  expect(twoPasswords.signedIn).toBe(false);

  for (const contentType of [
    "application/json",
    "text/plain; note=application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
  ]) {
    const other = await signInFrom(base, {
      ...member,
      from,
      contentType,
      body: (csrfToken) => JSON.stringify({ ...member, csrfToken }),
    });
    expect(other.answer.status, contentType).toBe(415);
    expect(codeOf(other.answer.body)).toBe("unsupported_media_type");
    expect(other.signedIn).toBe(false);
  }
});

test("wrong passwords from one address do not lock the account for another, the admin's included", async () => {
  for (const [account, attacker, owner] of [
    [
      { email: accounts.admin.email, password: accounts.admin.password },
      "127.0.0.26",
      "127.0.0.27",
    ],
  ] as const) {
    for (let i = 0; i < LIMIT; i += 1) {
      const wrong = await signInFrom(base, { ...account, password: `wrong-${i}`, from: attacker });
      expect(wrong.signedIn).toBe(false);
    }
    const locked = await signInFrom(base, { ...account, from: attacker });
    expect(locked.answer.status).toBe(429);
    expect(Number(locked.answer.headers["retry-after"])).toBeGreaterThan(0);
    expect(locked.signedIn).toBe(false);

    const owned = await signInFrom(base, { ...account, from: owner });
    expect(owned.answer.status, owned.answer.body).toBe(200);
    expect(owned.signedIn).toBe(true);
  }
});

test("an account under attack from many addresses: known devices and addresses still sign in, new ones wait, the admin is told", async ({
  adminPage,
}) => {
  const member = await createMemberThroughApi(adminPage, "attacked");
  // The owner signs in from home on their laptop before the attack starts.
  const home = "127.0.0.50";
  const laptop = await signInFrom(base, { ...member, from: home });
  expect(laptop.signedIn).toBe(true);

  // Four addresses, five wrong passwords each: 20, SIGNIN_MAX_FAILURES_PER_ACCOUNT.
  for (const attacker of ["127.0.0.51", "127.0.0.52", "127.0.0.53", "127.0.0.54"]) {
    for (let i = 0; i < LIMIT; i += 1) {
      const wrong = await signInFrom(base, { ...member, password: `no-${i}`, from: attacker });
      expect(wrong.answer.status).not.toBe(500);
      expect(wrong.signedIn).toBe(false);
    }
  }

  // A new address on a new device waits, even with the right password...
  const stranger = await signInFrom(base, { ...member, from: "127.0.0.55" });
  expect(stranger.answer.status, stranger.answer.body).toBe(429);
  expect(stranger.signedIn).toBe(false);
  // ...the laptop (its device cookie) from a café, and any device at home, do not.
  const cafe = await signInFrom(base, { ...member, from: "127.0.0.56", cookies: laptop.cookies });
  expect(cafe.signedIn, cafe.answer.body).toBe(true);
  const atHome = await signInFrom(base, { ...member, from: home });
  expect(atHome.signedIn, atHome.answer.body).toBe(true);

  // The admin sees it on the dashboard's feed.
  const alerts = await adminPage.request.get("/api/admin/sign-in-alerts");
  expect(alerts.status()).toBe(200);
  const { accounts: attacked } = (await alerts.json()) as {
    accounts: { email: string; failures: number; restricted: boolean }[];
  };
  expect(attacked).toContainEqual(
    expect.objectContaining({ email: member.email, restricted: true }),
  );
  expect(attacked.find((a) => a.email === member.email)!.failures).toBeGreaterThanOrEqual(20);
  await adminPage.goto("/admin");
  await expect(adminPage.getByText(member.email)).toBeVisible();
});

test("the sign-in form is refused from another origin of the same site", async () => {
  const csrf = await rawRequest(base, { path: "/api/auth/csrf", from: "127.0.0.28" });
  const res = await rawRequest(base, {
    method: "POST",
    path: "/api/auth/callback/credentials",
    from: "127.0.0.28",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: "http://localhost:1",
      "sec-fetch-site": "same-site",
      cookie: csrf.setCookies.map((c) => c.split(";")[0]).join("; "),
    },
    body: "email=x%40e2e.test&password=y",
  });
  expect(res.status).toBe(403);
  expect(codeOf(res.body)).toBe("forbidden");
});

import { expectApiError, test } from "./support";

// Every admin route, with a body that would be valid, so a 401/403 can only come
// from the role check and not from validation.
const ADMIN_ROUTES: {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  data?: unknown;
  contentType?: string;
}[] = [
  { method: "GET", path: "/api/admin/users" },
  { method: "POST", path: "/api/admin/users", data: { email: "x@e2e.test", role: "member" } },
  {
    method: "PATCH",
    path: "/api/admin/users/00000000-0000-4000-8000-000000000000",
    data: { disabled: true },
  },
  { method: "GET", path: "/api/admin/videos" },
  { method: "GET", path: "/api/admin/videos/abcdefgh1234" },
  { method: "PATCH", path: "/api/admin/videos/abcdefgh1234", data: { title: "x" } },
  { method: "DELETE", path: "/api/admin/videos/abcdefgh1234" },
  { method: "POST", path: "/api/admin/videos/abcdefgh1234/retry" },
  {
    method: "PUT",
    path: "/api/admin/videos/abcdefgh1234/captions/en",
    data: "WEBVTT\n",
    contentType: "text/vtt",
  },
  {
    method: "POST",
    path: "/api/admin/uploads",
    data: { fileName: "a.mp4", contentType: "video/mp4", sizeBytes: 10, title: "a" },
  },
  { method: "GET", path: "/api/admin/uploads/abcdefgh12345678" },
  { method: "DELETE", path: "/api/admin/uploads/abcdefgh12345678" },
  { method: "POST", path: "/api/admin/uploads/abcdefgh12345678/parts", data: { partNumbers: [1] } },
  {
    method: "PUT",
    path: "/api/admin/uploads/abcdefgh12345678/parts/1",
    data: "bytes",
    contentType: "application/octet-stream",
  },
  {
    method: "POST",
    path: "/api/admin/uploads/abcdefgh12345678/complete",
    data: { parts: [{ partNumber: 1, etag: "x" }] },
  },
];

for (const route of ADMIN_ROUTES) {
  test(`${route.method} ${route.path}: 401 signed out, 403 as a member`, async ({
    request,
    memberPage,
  }) => {
    const options = {
      method: route.method,
      data: route.data,
      headers: route.contentType ? { "content-type": route.contentType } : undefined,
    };
    await expectApiError(await request.fetch(route.path, options), 401);
    await expectApiError(await memberPage.request.fetch(route.path, options), 403);
  });
}

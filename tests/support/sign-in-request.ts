import http from "node:http";

/**
 * Sign-in requests sent from a chosen loopback address. The preview edge names the
 * socket's peer as the viewer's address (as CloudFront does), so a client bound to
 * 127.0.0.2 is, for the API's sign-in limits, another address than one bound to
 * 127.0.0.3: one machine can play an attacker and its victim.
 */

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  setCookies: string[];
  body: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The loopback address to send from (default 127.0.0.1). */
  from?: string;
}

/** One HTTP request to `base` (an http://localhost:PORT URL) from a loopback address. */
export function rawRequest(base: string, req: RawRequest): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const out = http.request(
      {
        host: "127.0.0.1",
        port: url.port,
        method: req.method ?? "GET",
        // Sent as written: a trailing slash or a double slash is the point of some tests.
        path: req.path,
        localAddress: req.from ?? "127.0.0.1",
        headers: {
          host: url.host,
          ...(req.body === undefined ? {} : { "content-length": Buffer.byteLength(req.body) }),
          ...req.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            setCookies: res.headers["set-cookie"] ?? [],
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    out.on("error", reject);
    out.end(req.body);
  });
}

/** `name=value` pairs of Set-Cookie headers, as a Cookie header. */
export function cookieJar(setCookies: string[], previous = ""): string {
  const jar = new Map(
    previous
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf("=")), c] as const),
  );
  for (const line of setCookies) {
    const pair = line.split(";")[0]!;
    const name = pair.slice(0, pair.indexOf("="));
    if (/=$/.test(pair) || /Max-Age=0/i.test(line)) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join("; ");
}

export interface SignInAttempt {
  email: string;
  password: string;
  from?: string;
  /** The credentials callback's path; non-canonical spellings are what some tests try. */
  path?: string;
  /** The form as sent, when a test needs it other than email + password + csrfToken. */
  body?: (csrfToken: string) => string;
  contentType?: string;
  /** Cookies to send along (a device cookie from an earlier sign-in). */
  cookies?: string;
}

export interface SignInOutcome {
  answer: RawAnswer;
  /** A session cookie was set: the sign-in succeeded. */
  signedIn: boolean;
  /** Every cookie the browser would hold afterwards. */
  cookies: string;
}

/** The credentials sign-in as the sign-in page does it: CSRF token, then the form POST. */
export async function signInFrom(base: string, attempt: SignInAttempt): Promise<SignInOutcome> {
  const csrf = await rawRequest(base, {
    path: "/api/auth/csrf",
    from: attempt.from,
    headers: attempt.cookies ? { cookie: attempt.cookies } : {},
  });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const cookies = cookieJar(csrf.setCookies, attempt.cookies);
  const body =
    attempt.body?.(csrfToken) ??
    new URLSearchParams({
      email: attempt.email,
      password: attempt.password,
      csrfToken,
      callbackUrl: "/videos",
    }).toString();
  const answer = await rawRequest(base, {
    method: "POST",
    path: attempt.path ?? "/api/auth/callback/credentials",
    from: attempt.from,
    headers: {
      cookie: cookies,
      "content-type": attempt.contentType ?? "application/x-www-form-urlencoded",
      "x-auth-return-redirect": "1",
    },
    body,
  });
  return {
    answer,
    signedIn: answer.setCookies.some((c) => /session-token=[^;]/.test(c)),
    cookies: cookieJar(answer.setCookies, cookies),
  };
}

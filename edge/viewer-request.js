// CloudFront Function (runtime cloudfront-js-2.0), viewer-request event of the
// DEFAULT behavior (the site bucket holding the static export).
//
// The same file is deployed by infra/ and run by the local preview edge, so it
// must stay plain ES5.1-plus-2.0 JavaScript: no imports, no exports, one global
// `handler`. The preview edge loads it in a VM context.
//
// Maps pretty URLs to the files `next build` exported:
//   /            -> /index.html
//   /videos      -> /videos.html
//   /videos/     -> /videos.html
//   /admin/users -> /admin/users.html
// and leaves anything with an extension (/_next/static/x.js, /favicon.ico) alone.
// It must never rewrite /api/* or /media/*: those have their own behaviors, and
// turning their 403/404 into an HTML page would hide real denials.
function handler(event) {
  var request = event.request;
  var uri = request.uri;

  if (uri.indexOf("/api/") === 0 || uri === "/api" || uri.indexOf("/media/") === 0) {
    return request;
  }
  if (uri === "" || uri === "/") {
    request.uri = "/index.html";
    return request;
  }
  // Strip one trailing slash: /videos/ is the same page as /videos.
  if (uri.length > 1 && uri.charAt(uri.length - 1) === "/") {
    uri = uri.substring(0, uri.length - 1);
  }
  var lastSegment = uri.substring(uri.lastIndexOf("/") + 1);
  if (lastSegment.indexOf(".") === -1) {
    request.uri = uri + ".html";
  } else {
    request.uri = uri;
  }
  return request;
}

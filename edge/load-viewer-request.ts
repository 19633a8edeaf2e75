import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";

interface CloudFrontRequest {
  method: string;
  uri: string;
  querystring: Record<string, { value: string }>;
  headers: Record<string, { value: string }>;
}

export const VIEWER_REQUEST_FILE = path.join(import.meta.dirname, "viewer-request.js");

/**
 * Loads the CloudFront Function file that production deploys and returns its
 * handler. The file is evaluated in an empty VM context, as CloudFront does: no
 * require, no process, nothing but the language, so anything that works here and
 * not there shows up in the edge tests.
 */
export function loadViewerRequest(
  file = VIEWER_REQUEST_FILE,
): (uri: string, method: string) => string {
  const context = vm.createContext({});
  new vm.Script(readFileSync(file, "utf8"), { filename: file }).runInContext(context);
  const handler = context.handler as (event: { request: CloudFrontRequest }) => CloudFrontRequest;
  if (typeof handler !== "function") throw new Error(`${file} does not define handler(event)`);
  return (uri, method) => {
    const result = handler({ request: { method, uri, querystring: {}, headers: {} } });
    return result.uri;
  };
}

import "server-only";

// Who may see and watch which video: the one rule that the catalog, the video record,
// progress, and every credential (cookies and signed URLs) are held to.
export { listedFor, openTo, watchableBy, type Viewer } from "./visibility";

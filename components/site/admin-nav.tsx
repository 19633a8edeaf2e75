import { NavLink } from "./nav-link";

/** The admin sub-navigation. Upload and Videos pages live in their own folders. */
export function AdminNav() {
  return (
    <nav aria-label="Admin" className="-mx-1 flex gap-1 overflow-x-auto pb-1">
      <NavLink href="/admin" exact>
        Overview
      </NavLink>
      <NavLink href="/admin/upload">Upload</NavLink>
      <NavLink href="/admin/videos">Videos</NavLink>
      <NavLink href="/admin/users">Users</NavLink>
      <NavLink href="/admin/analytics">Analytics</NavLink>
    </nav>
  );
}

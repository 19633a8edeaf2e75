import { LogoMark } from "./logo";

/**
 * The site footer. It carries no links on purpose: "Sign in" or "Videos" here
 * would duplicate the header's and make role-based queries ambiguous.
 */
export function SiteFooter() {
  return (
    <footer className="mt-auto border-t border-line/70">
      <div className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-8 sm:flex-row sm:items-center sm:justify-between sm:px-6 lg:px-8">
        <div className="flex items-center gap-3">
          <LogoMark className="size-6" />
          <p className="text-sm text-muted">
            <span className="font-semibold text-fg">Reelgate</span> · Private streaming for members
          </p>
        </div>
        <p className="text-xs text-subtle">
          © {new Date().getFullYear()} Reelgate. Streams are for signed-in members only.
        </p>
      </div>
    </footer>
  );
}

import type { ReactNode } from "react";
import { cx } from "./cx";

export type AlertTone = "danger" | "success" | "warning" | "info";

const TONES: Record<AlertTone, string> = {
  danger: "bg-danger-soft text-danger ring-danger/30",
  success: "bg-success-soft text-success ring-success/30",
  warning: "bg-warning-soft text-warning ring-warning/30",
  info: "bg-surface-2 text-fg ring-line",
};

/** Props of {@link Alert}. */
export interface AlertProps {
  tone?: AlertTone;
  title?: string;
  children?: ReactNode;
  /** `alert` interrupts screen readers; use `status` for news that can wait. */
  role?: "alert" | "status";
  action?: ReactNode;
  className?: string;
}

export function Alert({ tone = "danger", title, children, role, action, className }: AlertProps) {
  return (
    <div
      role={role ?? (tone === "danger" ? "alert" : "status")}
      className={cx(
        "flex flex-col gap-3 rounded-xl px-4 py-3 text-sm ring-1 ring-inset sm:flex-row sm:items-center",
        TONES[tone],
        className,
      )}
    >
      <div className="min-w-0 flex-1">
        {title && <p className="font-semibold">{title}</p>}
        {children && <div className={cx(title && "mt-0.5", "text-fg/80")}>{children}</div>}
      </div>
      {action && <div className="shrink-0">{action}</div>}
    </div>
  );
}

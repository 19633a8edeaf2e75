// Inline 24x24 icons: no icon font or library in the bundle, and they inherit currentColor.

import type { ReactNode } from "react";

function Icon({ children, className = "size-6" }: { children: ReactNode; className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" className={className}>
      {children}
    </svg>
  );
}

export const PlayIcon = ({ className }: { className?: string }) => (
  <Icon className={className}>
    <path d="M8 5.14v13.72a1 1 0 0 0 1.52.85l10.6-6.86a1 1 0 0 0 0-1.7L9.52 4.29A1 1 0 0 0 8 5.14Z" />
  </Icon>
);

export const PauseIcon = () => (
  <Icon>
    <rect x="6" y="5" width="4" height="14" rx="1" />
    <rect x="14" y="5" width="4" height="14" rx="1" />
  </Icon>
);

export const VolumeIcon = ({ level }: { level: "muted" | "low" | "high" }) => (
  <Icon>
    <path d="M4 9.5v5a1 1 0 0 0 1 1h3l4.3 3.6A1 1 0 0 0 14 18.3V5.7a1 1 0 0 0-1.7-.8L8 8.5H5a1 1 0 0 0-1 1Z" />
    {level === "muted" ? (
      <path
        d="m17 9.5 5 5m0-5-5 5"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        fill="none"
      />
    ) : (
      <path
        d={
          level === "high"
            ? "M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12"
            : "M16.5 8.5a5 5 0 0 1 0 7"
        }
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        fill="none"
      />
    )}
  </Icon>
);

export const FullscreenIcon = ({ exit }: { exit: boolean }) => (
  <Icon>
    <path
      d={exit ? "M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5" : "M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"}
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      fill="none"
    />
  </Icon>
);

export const PipIcon = () => (
  <Icon>
    <path
      d="M20 11V6a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v12a1 1 0 0 0 1 1h5"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      fill="none"
    />
    <rect x="13" y="13" width="8" height="6" rx="1" />
  </Icon>
);

export const CaptionsIcon = ({ on }: { on: boolean }) => (
  <Icon>
    <rect
      x="3"
      y="5"
      width="18"
      height="14"
      rx="2"
      stroke="currentColor"
      strokeWidth="2"
      fill={on ? "currentColor" : "none"}
    />
    <path
      d="M10.5 10.2a2.2 2.2 0 1 0 0 3.6M17 10.2a2.2 2.2 0 1 0 0 3.6"
      stroke={on ? "black" : "currentColor"}
      strokeWidth="1.8"
      strokeLinecap="round"
      fill="none"
    />
  </Icon>
);

export const GearIcon = () => (
  <Icon>
    <path
      fillRule="evenodd"
      d="M10.3 2.6a1 1 0 0 1 1-.6h1.4a1 1 0 0 1 1 .6l.6 1.8 1.7.7 1.7-.9a1 1 0 0 1 1.1.2l1 1a1 1 0 0 1 .2 1.1l-.9 1.7.7 1.7 1.8.6a1 1 0 0 1 .6 1v1.4a1 1 0 0 1-.6 1l-1.8.6-.7 1.7.9 1.7a1 1 0 0 1-.2 1.1l-1 1a1 1 0 0 1-1.1.2l-1.7-.9-1.7.7-.6 1.8a1 1 0 0 1-1 .6h-1.4a1 1 0 0 1-1-.6l-.6-1.8-1.7-.7-1.7.9a1 1 0 0 1-1.1-.2l-1-1a1 1 0 0 1-.2-1.1l.9-1.7-.7-1.7-1.8-.6a1 1 0 0 1-.6-1v-1.4a1 1 0 0 1 .6-1l1.8-.6.7-1.7-.9-1.7a1 1 0 0 1 .2-1.1l1-1a1 1 0 0 1 1.1-.2l1.7.9 1.7-.7.6-1.8ZM12 15.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Z"
    />
  </Icon>
);

export const SpeedIcon = () => (
  <Icon>
    <path
      d="M4.5 17a8.5 8.5 0 1 1 15 0M12 13l4-4"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      fill="none"
    />
  </Icon>
);

export const CheckIcon = () => (
  <Icon className="size-4">
    <path
      d="m5 12.5 4.5 4.5L19 7.5"
      stroke="currentColor"
      strokeWidth="2.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      fill="none"
    />
  </Icon>
);

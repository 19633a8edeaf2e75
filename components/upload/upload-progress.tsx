import { formatProgressLine, type ProgressFigures } from "@/lib/client/upload-math";

/** Props of {@link UploadProgress}. */
export interface UploadProgressProps {
  fileName: string;
  progress: ProgressFigures;
}

/** A progress bar with the "42 % · 12.3 MB of 29.1 MB · 4.2 MB/s · 7 s left" line. */
export function UploadProgress({ fileName, progress }: UploadProgressProps) {
  const line = formatProgressLine(progress);
  return (
    <div className="space-y-1.5">
      <div
        role="progressbar"
        aria-label={`Upload of ${fileName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress.percent}
        aria-valuetext={line}
        className="h-2 overflow-hidden rounded-full bg-surface-3"
      >
        <div
          className="h-full rounded-full bg-accent transition-[width] duration-200 motion-reduce:transition-none"
          style={{ width: `${progress.percent}%` }}
        />
      </div>
      <p className="text-xs text-muted tabular-nums">{line}</p>
    </div>
  );
}

/** Props of {@link Stat}. */
export interface StatProps {
  label: string;
  value: string;
  /** For tests and scripts: `data-testid` of the value. */
  testId?: string;
  hint?: string;
}

/** One figure with its label. */
export function Stat({ label, value, testId, hint }: StatProps) {
  return (
    <div className="rounded-card bg-surface p-4 ring-1 ring-line">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {hint ? <p className="mt-1 text-xs text-muted">{hint}</p> : null}
    </div>
  );
}

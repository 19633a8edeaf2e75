"use client";

import { useId, type InputHTMLAttributes } from "react";
import { cx } from "./cx";

/** Classes shared by text inputs and selects. */
export const fieldClasses = cx(
  "block w-full rounded-lg bg-surface px-3.5 text-fg ring-1 ring-inset ring-line-strong",
  "placeholder:text-subtle transition-shadow",
  "focus:outline-none focus:ring-2 focus:ring-accent",
  "disabled:cursor-not-allowed disabled:opacity-60",
  "aria-[invalid=true]:ring-danger",
);

/** Props of {@link TextField}: an input with its visible label, hint and error. */
export interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: string;
  error?: string;
}

export function TextField({ label, hint, error, className, id, ...rest }: TextFieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className={className}>
      <label htmlFor={inputId} className="mb-1.5 block text-sm font-medium text-fg">
        {label}
      </label>
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={cx(hintId, errorId) || undefined}
        className={cx(fieldClasses, "h-11")}
        {...rest}
      />
      {hint && (
        <p id={hintId} className="mt-1.5 text-xs text-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="mt-1.5 text-xs font-medium text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

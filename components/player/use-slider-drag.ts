import { useRef, type PointerEvent as ReactPointerEvent } from "react";

/** Handlers for a horizontal pointer-driven slider; fractions are 0..1 of its width. */
export interface SliderDrag {
  onPointerDown: (event: ReactPointerEvent<HTMLElement>) => void;
  onPointerMove: (event: ReactPointerEvent<HTMLElement>) => void;
  onPointerUp: (event: ReactPointerEvent<HTMLElement>) => void;
  onPointerCancel: (event: ReactPointerEvent<HTMLElement>) => void;
}

export function fractionAt(element: HTMLElement, clientX: number): number {
  const rect = element.getBoundingClientRect();
  if (rect.width <= 0) return 0;
  return Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
}

/**
 * Pointer capture keeps the drag alive when the pointer leaves the thin track, and works
 * for mouse, pen and touch alike. `onMove` also fires for hover (no button pressed).
 */
export function useSliderDrag(handlers: {
  onDrag: (fraction: number) => void;
  onCommit: (fraction: number) => void;
  onHover?: (fraction: number | null) => void;
}): SliderDrag {
  const dragging = useRef(false);
  return {
    onPointerDown: (event) => {
      if (event.button !== 0) return;
      dragging.current = true;
      event.currentTarget.setPointerCapture(event.pointerId);
      handlers.onDrag(fractionAt(event.currentTarget, event.clientX));
    },
    onPointerMove: (event) => {
      const fraction = fractionAt(event.currentTarget, event.clientX);
      handlers.onHover?.(fraction);
      if (dragging.current) handlers.onDrag(fraction);
    },
    onPointerUp: (event) => {
      if (!dragging.current) return;
      dragging.current = false;
      event.currentTarget.releasePointerCapture(event.pointerId);
      handlers.onCommit(fractionAt(event.currentTarget, event.clientX));
    },
    onPointerCancel: () => {
      dragging.current = false;
      handlers.onHover?.(null);
    },
  };
}

import { useCallback, useEffect, useRef, useState } from "react";

const HIDE_AFTER_MS = 2_500;

/**
 * Auto-hide for the controls: `visible` turns false after a quiet spell while `canHide`
 * holds (playing, no menu open). `poke` is wired to pointer, key and focus events.
 */
export function useIdle(canHide: boolean): { visible: boolean; poke: () => void } {
  const [visible, setVisible] = useState(true);
  const timer = useRef<number | null>(null);

  const poke = useCallback(() => {
    setVisible(true);
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setVisible(false), HIDE_AFTER_MS);
  }, []);

  useEffect(() => {
    if (canHide) poke();
    return () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    };
  }, [canHide, poke]);

  return { visible: visible || !canHide, poke };
}

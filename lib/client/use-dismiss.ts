'use client';

import { useEffect, useRef, type RefObject } from 'react';

/**
 * While `open`: Escape closes (and gives the focus back to `returnFocus`, the button that opened
 * it), and, when `inside` is given, so does a pointer press outside those elements. One path for
 * every dropdown of the header (Menu, the bell, Checks, Refine).
 */
export function useDismiss(
  open: boolean,
  close: () => void,
  opts: { inside?: RefObject<HTMLElement | null>[]; returnFocus?: RefObject<HTMLElement | null> } = {},
): void {
  // The latest callback and options, read when an event comes (callers pass new ones each render).
  const latest = useRef({ close, opts });
  useEffect(() => {
    latest.current = { close, opts };
  });
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      latest.current.close();
      latest.current.opts.returnFocus?.current?.focus();
    };
    const onDown = (e: PointerEvent) => {
      const inside = latest.current.opts.inside;
      if (inside && !inside.some((r) => r.current?.contains(e.target as Node))) latest.current.close();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
  }, [open]);
}

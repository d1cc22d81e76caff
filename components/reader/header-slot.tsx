'use client';

import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';

/** Renders its children into the sticky app header (#header-slot), so they stay in view. */
export function HeaderSlot({ children }: { children: React.ReactNode }) {
  const [target, setTarget] = useState<HTMLElement | null>(null);
  useEffect(() => setTarget(document.getElementById('header-slot')), []);
  return target ? createPortal(<div className="header-tools">{children}</div>, target) : null;
}

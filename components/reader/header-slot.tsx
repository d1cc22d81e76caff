'use client';

import { createPortal } from 'react-dom';
import { useClientValue } from '@/lib/client/use-client-value';

/** Renders its children into the sticky app header (#header-slot), so they stay in view. */
export function HeaderSlot({ children }: { children: React.ReactNode }) {
  const target = useClientValue(() => document.getElementById('header-slot'), null);
  return target ? createPortal(<div className="header-tools">{children}</div>, target) : null;
}

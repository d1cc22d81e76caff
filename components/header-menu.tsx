'use client';

import { Menu, X } from 'lucide-react';
import { useRef, useState } from 'react';
import { useDismiss } from '@/lib/client/use-dismiss';

/**
 * The header's tools (filters, presence, People, the user's menu). On a wide screen they sit in
 * the header's row; on a narrow one the header keeps the document's title and puts the tools
 * behind a Menu button (Escape or a click elsewhere closes it).
 */
export function HeaderMenu({ children }: { children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useDismiss(open, () => setOpen(false), { inside: [ref, button], returnFocus: button });
  return (
    <>
      <button ref={button} type="button" className="header-menu-toggle btn-ghost" aria-expanded={open} aria-controls="header-more" onClick={() => setOpen(!open)}>
        {open ? <X size={18} aria-hidden="true" /> : <Menu size={18} aria-hidden="true" />}
        <span className="header-menu-label">Menu</span>
      </button>
      <div ref={ref} id="header-more" className="header-more" data-open={open}>
        {children}
      </div>
    </>
  );
}

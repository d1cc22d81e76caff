'use client';

import { useEffect, useState } from 'react';

/** Sent by the document page (a window event) when the document is renamed while it is open. */
export const TITLE_EVENT = 'marginalia:document-title';

/** The document's title in the header, following a rename made while the page is open. */
export function LiveTitle({ title }: { title: string }) {
  const [shown, setShown] = useState(title);
  useEffect(() => {
    const on = (e: Event) => setShown((e as CustomEvent<string>).detail);
    window.addEventListener(TITLE_EVENT, on);
    return () => window.removeEventListener(TITLE_EVENT, on);
  }, []);
  return <span className="crumb-title">{shown}</span>;
}

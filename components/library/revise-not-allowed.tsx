'use client';

import { useParams } from 'next/navigation';
import { NotAllowed } from '@/components/ui/not-allowed';

/** The revision editor's not-allowed notice, with the way back to the document it was about. */
export function ReviseNotAllowed() {
  const { id } = useParams<{ id: string }>();
  return <NotAllowed message="Only admins can revise documents." back={{ href: `/documents/${encodeURIComponent(id)}`, label: 'Back to the document' }} />;
}

import { ForbiddenPage } from '@/components/library/forbidden-page';

/** What `forbidden()` renders, with a 403, where no closer forbidden.tsx says more. */
export default function Forbidden() {
  return <ForbiddenPage title="Not allowed" message="Your role may not use this page." />;
}

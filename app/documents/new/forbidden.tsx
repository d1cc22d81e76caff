import { ForbiddenPage } from '@/components/library/forbidden-page';

export default function Forbidden() {
  return <ForbiddenPage title="Add a document" message="Only admins can add documents." />;
}

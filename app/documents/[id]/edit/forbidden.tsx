import { ForbiddenPage } from '@/components/library/forbidden-page';
import { ReviseNotAllowed } from '@/components/library/revise-not-allowed';

export default function Forbidden() {
  return <ForbiddenPage title="Edit document" message="Only admins can revise documents." notice={<ReviseNotAllowed />} />;
}

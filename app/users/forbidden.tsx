import { ForbiddenPage } from '@/components/library/forbidden-page';

export default function Forbidden() {
  return <ForbiddenPage title="People" message="Only admins can manage people." />;
}

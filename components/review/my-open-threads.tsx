import Link from 'next/link';
import { RelativeTime } from '@/components/ui/relative-time';
import { TagIcon } from '@/components/ui/tag-icon';
import { TAG_META } from '@/lib/domain/tags';
import type { MyThread } from '@/lib/server/claims';
import './review.css';

/** The start page's "My open threads": open threads you started or commented in, across documents, each a link to the thread. */
export function MyOpenThreads({ threads }: { threads: MyThread[] }) {
  if (threads.length === 0) return null;
  return (
    <section className="my-threads" aria-labelledby="my-threads-heading">
      <h2 id="my-threads-heading">My open threads</h2>
      <ul>
        {threads.map((t) => (
          <li key={t.annotationId}>
            <Link href={`/documents/${t.documentId}#a-${t.annotationId}`}>
              “{t.quote.length > 100 ? `${t.quote.slice(0, 100)}…` : t.quote}”
            </Link>{' '}
            <span className="muted">
              in {t.documentTitle} · <TagIcon tag={t.tag} /> {TAG_META[t.tag].label} · {t.commentCount} {t.commentCount === 1 ? 'comment' : 'comments'} · <RelativeTime iso={t.updatedAt} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

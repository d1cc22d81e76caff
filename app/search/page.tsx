import type { Metadata } from 'next';
import Link from 'next/link';
import { AppHeader } from '@/components/app-header';
import { Marked } from '@/components/review/marked';
import { TagIcon } from '@/components/ui/tag-icon';
import { ZSearchQuerySchema } from '@/lib/domain/api-schemas';
import { TAG_META } from '@/lib/domain/tags';
import { search } from '@/lib/server/search';
import { requirePageActor } from '@/lib/server/session';
import '@/components/review/review.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Search' };

/** Search across every document (docs/api.md, "Search"): hits grouped by document, each a link to its thread. */
export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const me = await requirePageActor('/search');
  const raw = (await searchParams).q;
  const q = typeof raw === 'string' ? raw : '';
  const parsed = q.trim() ? ZSearchQuerySchema.safeParse({ q, limit: 100 }) : null;
  const result = parsed?.success ? await search(me, parsed.data) : null;
  return (
    <>
      <AppHeader me={me} crumb={<span className="crumb-title">Search</span>} />
      <main className="page review-page">
        <h1>Search</h1>
        <form className="review-form" action="/search" method="get" role="search">
          <label className="sr-only" htmlFor="search-q">Words to find in quotes and comments</label>
          <input id="search-q" type="search" name="q" defaultValue={q} maxLength={200} placeholder="Words in quotes and comments, names, codes" />
          <button type="submit" className="btn-primary">Search</button>
        </form>
        {parsed && !parsed.success && <p role="alert">{parsed.error.issues[0]?.message ? `The search ${parsed.error.issues[0].message}.` : 'That search cannot be run.'}</p>}
        {result && (
          <p className="muted" role="status">
            {result.total === 0 ? `Nothing found for “${result.q}”.` : `${result.total} ${result.total === 1 ? 'thread' : 'threads'} in ${result.documents.length} ${result.documents.length === 1 ? 'document' : 'documents'}${result.total === 100 ? ' (the best 100)' : ''}.`}
          </p>
        )}
        {result?.documents.map((g) => (
          // Not a landmark each: two documents may share a title, and a landmark's name must be unique.
          <div key={g.document.id} className="search-group">
            <h2 id={`doc-${g.document.id}`}>{g.document.title}</h2>
            <ul className="search-hits">
              {g.hits.map((h) => (
                <li key={h.annotationId} className="search-hit">
                  <Link href={`/documents/${g.document.id}#a-${h.annotationId}`}>
                    <span className="hit-quote">“<Marked text={h.quote} q={result.q} />”</span>
                    {h.comment && <span className="hit-comment"><Marked text={h.comment.text} q={result.q} /></span>}
                    <span className="hit-meta">
                      <TagIcon tag={h.tag} /> {TAG_META[h.tag].label}, {h.status}
                      {h.anchor === 'orphaned' ? ', orphaned' : ''} · {h.author.name} · {h.commentCount} {h.commentCount === 1 ? 'comment' : 'comments'}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </main>
    </>
  );
}

'use client';

/**
 * The margin's Page notes: threads about the whole document rather than a passage (docs/api.md,
 * "Page notes"), above the highlights' threads in every layout, in flow (they have no passage to
 * sit beside). Whoever may highlight adds one with a tag (assessment by default: a judgment about
 * the whole piece) and its first comment.
 */
import { Plus } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { ApiAnnotation } from '@/lib/domain/api-types';
import { can } from '@/lib/domain/policy';
import { TAG_META, TAGS, type Tag } from '@/lib/domain/tags';
import { TagIcon } from '@/components/ui/tag-icon';
import { useThreadActions } from './actions';
import { Composer } from './comment-view';
import { Card, cardProps, revealInMargin } from './thread-list';

type Shared = Parameters<typeof cardProps>[0];

export function PageNotes({ notes, shared }: { notes: ApiAnnotation[]; shared: Shared }) {
  const { me, readOnly, addPageNote } = useThreadActions();
  const mayAdd = !readOnly && can(me, 'annotation.create');
  const [adding, setAdding] = useState(false);
  const [tag, setTag] = useState<Tag>('assessment');
  const sectionRef = useRef<HTMLElement>(null);

  // A focused page note (just added, or opened from a link or the checks) is brought into view.
  const activeNote = notes.some((n) => n.id === shared.activeId) ? shared.activeId : null;
  useEffect(() => {
    const card = activeNote ? sectionRef.current?.querySelector<HTMLElement>(`[data-thread-id="${CSS.escape(activeNote)}"]`) : null;
    if (card) revealInMargin(card);
  }, [activeNote]);

  if (!notes.length && !mayAdd) return null;
  return (
    <section className="page-notes" aria-labelledby="page-notes-title" ref={sectionRef}>
      <div className="page-notes-head">
        <h2 className="sidebar-title" id="page-notes-title">
          Page notes <span className="muted">{notes.length}</span>
        </h2>
        {mayAdd && !adding && (
          <button type="button" className="btn-ghost page-note-new" onClick={() => setAdding(true)}>
            <Plus size={14} aria-hidden="true" /> New page note
          </button>
        )}
      </div>
      {adding && (
        <div className="page-note-form" role="group" aria-label="New page note">
          <fieldset className="page-note-tags">
            <legend>About the whole document, tagged</legend>
            {TAGS.map((t) => (
              <label key={t}>
                <input type="radio" name="page-note-tag" value={t} checked={tag === t} onChange={() => setTag(t)} /> <TagIcon tag={t} /> {TAG_META[t].label}
              </label>
            ))}
          </fieldset>
          <Composer
            draftKey="marginalia:page-note:new"
            submitLabel="Add page note"
            placeholder="What do you make of the whole piece?"
            autoFocus
            onSubmit={async (body) => {
              await addPageNote(tag, body);
              setAdding(false);
            }}
            onCancel={() => setAdding(false)}
          />
        </div>
      )}
      {notes.length > 0 ? (
        <div className="threads">
          {notes.map((a) => (
            <Card key={a.id} {...cardProps(shared, a)} />
          ))}
        </div>
      ) : (
        !adding && <p className="muted page-notes-help">Notes about the whole document, not one passage.</p>
      )}
    </section>
  );
}

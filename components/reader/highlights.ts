/**
 * Highlights as ProseMirror decorations (DESIGN.md decision 1): computed from stored selectors,
 * never written into the document. One pass over the sorted annotations builds the set; each
 * highlight becomes an inline decoration carrying data-annotation-id and data-tag, and overlapping
 * highlights simply nest their spans, so each keeps its own element and stays clickable.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { textOffsetToPos, type TextIndex } from '@/lib/domain/document-text';
import { TAG_META, type Tag } from '@/lib/domain/tags';

export interface HighlightSpec {
  id: string;
  tag: Tag;
  resolved: boolean;
  start: number;
  end: number;
}

interface HighlightState {
  specs: HighlightSpec[];
  activeId: string | null;
  decorations: DecorationSet;
}

export const highlightsKey = new PluginKey<HighlightState>('highlights');

export interface HighlightMeta {
  specs?: HighlightSpec[];
  activeId?: string | null;
}

function build(state: EditorState, index: TextIndex, specs: HighlightSpec[], activeId: string | null): DecorationSet {
  const decos: Decoration[] = [];
  for (const h of specs) {
    const from = textOffsetToPos(index, h.start, 'start');
    const to = textOffsetToPos(index, h.end, 'end');
    if (from === null || to === null || to <= from) continue;
    const classes = ['hl', `hl-${h.tag}`];
    if (h.resolved) classes.push('hl-resolved');
    if (h.id === activeId) classes.push('hl-active');
    decos.push(
      Decoration.inline(
        from,
        to,
        {
          nodeName: 'span', // its own element even where highlights overlap (PM merges attrs otherwise)
          class: classes.join(' '),
          'data-annotation-id': h.id,
          'data-tag': h.tag,
          'data-status': h.resolved ? 'resolved' : 'open',
          title: `${TAG_META[h.tag].label} · ${h.resolved ? 'resolved' : 'open'}`,
        },
        { id: h.id, length: h.end - h.start },
      ),
    );
  }
  return DecorationSet.create(state.doc, decos);
}

/** The Tiptap extension; `index` is the text index of the (fixed) article content. */
export function Highlights(index: TextIndex) {
  return Extension.create({
    name: 'highlights',
    addProseMirrorPlugins() {
      return [
        new Plugin<HighlightState>({
          key: highlightsKey,
          state: {
            init: (_, state) => ({ specs: [], activeId: null, decorations: DecorationSet.create(state.doc, []) }),
            apply(tr, value, _old, state) {
              const meta = tr.getMeta(highlightsKey) as HighlightMeta | undefined;
              if (!meta) return value;
              const specs = meta.specs ?? value.specs;
              const activeId = meta.activeId !== undefined ? meta.activeId : value.activeId;
              return { specs, activeId, decorations: build(state, index, specs, activeId) };
            },
          },
          props: {
            decorations: (state) => highlightsKey.getState(state)?.decorations,
          },
        }),
      ];
    },
  });
}

/** The annotation ids at a position, smallest highlight first (the innermost of an overlap). */
export function highlightsAt(state: EditorState, pos: number): string[] {
  const set = highlightsKey.getState(state)?.decorations;
  if (!set) return [];
  return set
    .find(pos, pos, (spec) => typeof spec.id === 'string')
    .filter((d) => d.from <= pos && pos < d.to)
    .sort((a, b) => (a.spec.length as number) - (b.spec.length as number))
    .map((d) => d.spec.id as string);
}

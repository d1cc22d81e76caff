import { describe, expect, it, vi } from 'vitest';
import type { SuggestionProps } from '@tiptap/suggestion';
import type { MentionItem } from '@/lib/domain/comment-schema';
import { mentionController, type MentionState } from './mention-list';

const ANA = { id: 'u1', name: 'Ana' };
const BEN = { id: 'u2', name: 'Ben' };

function open(items: MentionItem[], query = 'a') {
  let state: MentionState | null = null;
  const c = mentionController((s) => (state = s));
  const command = vi.fn();
  const r = c.options.render!();
  const props = { items, query, loading: false, command, clientRect: null, editor: { view: { dom: { closest: () => null } } } } as unknown as SuggestionProps<MentionItem>;
  r.onStart!(props);
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => {
    const e = { key: k, ctrlKey: false, metaKey: false, altKey: false, stopPropagation: vi.fn(), ...mods } as unknown as KeyboardEvent;
    return { handled: r.onKeyDown!({ event: e } as never), e };
  };
  return { c, r, props, command, key, state: () => state };
}

describe('mentionController', () => {
  it('arrows move through the options and wrap; Enter and Tab choose the highlighted one', () => {
    const m = open([ANA, BEN]);
    expect(m.state()?.index).toBe(0);
    expect(m.key('ArrowDown').handled).toBe(true);
    expect(m.state()?.index).toBe(1);
    m.key('ArrowDown');
    expect(m.state()?.index).toBe(0);
    m.key('ArrowUp');
    expect(m.state()?.index).toBe(1);
    expect(m.key('Enter').handled).toBe(true);
    expect(m.command).toHaveBeenLastCalledWith({ id: 'u2', label: 'Ben' });
    m.key('Tab');
    expect(m.command).toHaveBeenCalledTimes(2);
  });
  it('Escape closes only the list; with nothing to offer, Enter is the editor\'s again', () => {
    const m = open([]);
    const esc = m.key('Escape');
    expect(esc.handled).toBe(true);
    expect(esc.e.stopPropagation).toHaveBeenCalled();
    expect(m.key('Enter').handled).toBe(false);
    expect(open([ANA]).key('Enter', { ctrlKey: true }).handled).toBe(false);
  });
  it('keeps the highlighted option while the same query updates, and resets for a new one; the mouse hovers and chooses', () => {
    const m = open([ANA, BEN]);
    m.key('ArrowDown');
    m.r.onUpdate!({ ...m.props, items: [ANA, BEN] });
    expect(m.state()?.index).toBe(1);
    m.r.onUpdate!({ ...m.props, query: 'b', items: [BEN] });
    expect(m.state()?.index).toBe(0);
    m.c.hover(0);
    m.c.choose(BEN);
    expect(m.command).toHaveBeenLastCalledWith({ id: 'u2', label: 'Ben' });
    m.r.onExit!(m.props);
    expect(m.state()).toBeNull();
    expect(m.key('ArrowDown').handled).toBe(false);
  });
});

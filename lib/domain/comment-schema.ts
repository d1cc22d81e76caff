/**
 * The comment editor's schema: the one list of Tiptap extensions that the browser's comment
 * composer uses and that the server validates comment bodies against. Bold, italic, links,
 * bulleted and numbered lists, hard breaks, and mentions of team members. Nothing else is allowed
 * in a stored comment.
 *
 * A mention is an inline atom `{ type: 'mention', attrs: { id, label } }`: `id` is the user's id,
 * `label` their name (the server replaces it with the name it has, lib/server/notifications.ts).
 * Its text is `@label`, in the composer's length count and in the stored plain text alike.
 */
import { getSchema, type Extensions } from '@tiptap/core';
import Mention from '@tiptap/extension-mention';
import StarterKit from '@tiptap/starter-kit';
import type { SuggestionOptions } from '@tiptap/suggestion';
import type { ApiMentionable } from './notification-api';
import type { Schema } from '@tiptap/pm/model';

/** What a mention suggestion offers and inserts: a team member (GET /api/users/mentionable). */
export type MentionItem = ApiMentionable;

const mentionLabel = (attrs: Record<string, unknown>) => `@${String(attrs.label ?? attrs.id ?? '')}`;

/** The mention node: only `id` and `label` (Tiptap's extra `mentionSuggestionChar` is not kept). */
const CommentMention = Mention.extend({
  addAttributes() {
    return {
      id: { default: null, parseHTML: (el) => el.getAttribute('data-user-id'), renderHTML: (a) => (a.id ? { 'data-user-id': a.id } : {}) },
      label: { default: null, parseHTML: (el) => el.getAttribute('data-label'), renderHTML: () => ({}) },
    };
  },
  parseHTML() {
    return [{ tag: 'span.mention[data-user-id]' }];
  },
  renderHTML({ node, HTMLAttributes }) {
    return ['span', { ...HTMLAttributes, class: 'mention' }, mentionLabel(node.attrs)];
  },
  renderText({ node }) {
    return mentionLabel(node.attrs);
  },
});

export function commentExtensions(opts: { mention?: Partial<SuggestionOptions<MentionItem>> } = {}): Extensions {
  return [
    StarterKit.configure({
      heading: false,
      blockquote: false,
      code: false,
      codeBlock: false,
      horizontalRule: false,
      strike: false,
      underline: false,
      link: {
        openOnClick: false,
        autolink: true,
        protocols: ['mailto'],
        defaultProtocol: 'https',
        isAllowedUri: (url) => /^(https?:|mailto:)/i.test(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    CommentMention.configure({ deleteTriggerWithBackspace: false, suggestion: { char: '@', ...opts.mention } }),
  ];
}

let cached: Schema | null = null;
export function commentSchema(): Schema {
  cached ??= getSchema(commentExtensions());
  return cached;
}

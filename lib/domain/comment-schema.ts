/**
 * The comment editor's schema: the one list of Tiptap extensions that the browser's comment
 * composer uses and that the server validates comment bodies against. Bold, italic, links,
 * bulleted and numbered lists, hard breaks. Nothing else is allowed in a stored comment.
 */
import { getSchema, type Extensions } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import type { Schema } from '@tiptap/pm/model';

export function commentExtensions(): Extensions {
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
  ];
}

let cached: Schema | null = null;
export function commentSchema(): Schema {
  cached ??= getSchema(commentExtensions());
  return cached;
}

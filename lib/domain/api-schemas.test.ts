import { describe, expect, it } from 'vitest';
import {
  ZCreateAnnotationSchema, ZCreateCommentSchema, ZCreateDocumentSchema, ZCreateRevisionSchema, ZCreateTokenSchema,
  ZCreateUserSchema, ZIdempotencyKeySchema, ZIdParamsSchema, ZListAnnotationsQuerySchema, ZPatchAnnotationSchema, ZPatchCommentSchema,
} from './api-schemas';
import type { z } from 'zod';

const paths = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? null : [...new Set(r.error.issues.map((i) => i.path.join('.')))];
};
const doc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const target = { quote: { exact: 'abc' }, position: { start: 0, end: 3 } };
const user = { email: 'ana@example.test', name: 'Ana', password: 'a long and rare one' };
const BAD = ['\u0000', 'x\uD800', '\uDC00y'];

describe('every client string refuses NUL and lone surrogates, naming the field', () => {
  const cases: [string, z.ZodType, (bad: string) => unknown, string][] = [
    ['user email', ZCreateUserSchema, (b) => ({ ...user, email: `a${b}@example.test` }), 'email'],
    ['user name', ZCreateUserSchema, (b) => ({ ...user, name: `Ana${b}` }), 'name'],
    ['password', ZCreateUserSchema, (b) => ({ ...user, password: `rare one ${b}` }), 'password'],
    ['title', ZCreateDocumentSchema, (b) => ({ title: `T${b}`, format: 'text', source: 'x' }), 'title'],
    ['source', ZCreateDocumentSchema, (b) => ({ title: 'T', format: 'text', source: `x${b}` }), 'source'],
    ['revision source', ZCreateRevisionSchema, (b) => ({ format: 'text', source: `x${b}` }), 'source'],
    ['revision content', ZCreateRevisionSchema, (b) => ({ content: doc(b) }), 'content.content.0.content.0.text'],
    ['exact', ZCreateAnnotationSchema, (b) => ({ tag: 'evidence', target: { ...target, quote: { exact: `a${b}` } } }), 'target.quote.exact'],
    ['prefix', ZCreateAnnotationSchema, (b) => ({ tag: 'evidence', target: { ...target, quote: { exact: 'a', prefix: b } } }), 'target.quote.prefix'],
    ['suffix', ZCreateAnnotationSchema, (b) => ({ tag: 'evidence', target: { ...target, quote: { exact: 'a', suffix: b } } }), 'target.quote.suffix'],
    ['first comment', ZCreateAnnotationSchema, (b) => ({ tag: 'evidence', target, comment: { body: doc(`hi ${b}`) } }), 'comment.body.content.0.content.0.text'],
    ['revisionId', ZCreateAnnotationSchema, (b) => ({ tag: 'evidence', target, revisionId: `r${b}` }), 'revisionId'],
    ['comment text', ZCreateCommentSchema, (b) => ({ body: doc(b) }), 'body.content.0.content.0.text'],
    ['link href', ZCreateCommentSchema, (b) => ({ body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'l', marks: [{ type: 'link', attrs: { href: `https://x.test/${b}` } }] }] }] } }), 'body.content.0.content.0.marks.0.attrs.href'],
    ['parentId', ZCreateCommentSchema, (b) => ({ body: doc('x'), parentId: b }), 'parentId'],
    ['edited comment', ZPatchCommentSchema, (b) => ({ body: doc(b), version: 1 }), 'body.content.0.content.0.text'],
    ['token name', ZCreateTokenSchema, (b) => ({ name: `t${b}` }), 'name'],
    ['query q', ZListAnnotationsQuerySchema, (b) => ({ q: `q${b}` }), 'q'],
    ['query author', ZListAnnotationsQuerySchema, (b) => ({ author: b }), 'author'],
    ['path id', ZIdParamsSchema, (b) => ({ id: `c${b}` }), 'id'],
    ['Idempotency-Key', ZIdempotencyKeySchema, (b) => `k${b}`, 'Idempotency-Key'],
  ];
  for (const [what, schema, make, path] of cases) {
    it(what, () => {
      for (const b of BAD) expect(paths(schema, make(b))).toEqual([path]);
    });
  }
});

describe('numbers fit their integer columns', () => {
  it('refuses versions and offsets beyond 2^31 - 1, negative, fractional or not numbers', () => {
    for (const v of [2 ** 31, 2 ** 63, -1, 0, 1.5, '2', null]) {
      expect(paths(ZPatchAnnotationSchema, { status: 'open', version: v })).toEqual(['version']);
      expect(paths(ZPatchCommentSchema, { body: doc('x'), version: v })).toEqual(['version']);
    }
    expect(paths(ZPatchAnnotationSchema, { status: 'open', version: 2 ** 31 - 1 })).toBeNull();
    expect(paths(ZCreateAnnotationSchema, { tag: 'evidence', target: { ...target, position: { start: 0, end: 2 ** 31 } } })).toEqual(['target.position.end']);
  });
});

describe('page notes', () => {
  it('need no target with scope "document", refuse one, and a highlight still needs its target', () => {
    expect(paths(ZCreateAnnotationSchema, { tag: 'assessment', scope: 'document' })).toBeNull();
    expect(paths(ZCreateAnnotationSchema, { tag: 'assessment', scope: 'document', comment: { body: doc('overall') }, likelihood: 'likely' })).toBeNull();
    expect(paths(ZCreateAnnotationSchema, { tag: 'assessment', scope: 'document', target })).toEqual(['target']);
    expect(paths(ZCreateAnnotationSchema, { tag: 'evidence' })).toEqual(['target']);
    expect(paths(ZCreateAnnotationSchema, { tag: 'evidence', scope: 'passage' })).toEqual(['target']);
    expect(paths(ZCreateAnnotationSchema, { tag: 'evidence', scope: 'passage', target })).toBeNull();
    expect(paths(ZCreateAnnotationSchema, { tag: 'evidence', scope: 'page', target })).toEqual(['scope']);
  });
});

describe('passwords', () => {
  it('refuses all-whitespace and the 10,000 most common (ignoring case), naming password', () => {
    for (const p of ['        ', '\t\t\t\t\t\t\t\t', 'password', 'PASSWORD', 'Password1', 'password123', '12345678', 'iloveyou']) {
      expect(paths(ZCreateUserSchema, { ...user, password: p }), p).toEqual(['password']);
    }
    expect(paths(ZCreateUserSchema, user)).toBeNull();
  });
});

describe('revisions', () => {
  it('takes content or format and source, and names what is missing or extra', () => {
    expect(paths(ZCreateRevisionSchema, { format: 'text', source: 'x' })).toBeNull();
    expect(paths(ZCreateRevisionSchema, { content: doc('x') })).toBeNull();
    expect(paths(ZCreateRevisionSchema, { format: 'text' })).toEqual(['source']);
    expect(paths(ZCreateRevisionSchema, { content: doc('x'), source: 'x' })).toEqual(['source']);
    expect(paths(ZCreateRevisionSchema, {})).toEqual(['format', 'source']);
  });
});

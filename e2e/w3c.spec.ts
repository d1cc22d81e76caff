/**
 * The Web Annotation Protocol container through the real server (scripts/serve.mjs and Next): the
 * slash form reaches the container, the other spelling is redirected to it, and an annotation
 * posted there shows in the reader as a highlight.
 */
import { expect, test } from '@playwright/test';
import { openArticle, thread, userInNewContext } from './helpers';

test('the W3C container answers at its slash form, redirects the other spelling, and a posted annotation appears in the reader', async ({ browser }) => {
  const ana = await userInNewContext(browser, 'Ana Protocol');
  await openArticle(ana.page);
  const id = new URL(ana.page.url()).pathname.split('/').at(-1)!;
  const api = ana.page.request;

  const bare = await api.get(`/api/w3c/documents/${id}`, { maxRedirects: 0 });
  expect(bare.status()).toBe(308);
  expect(bare.headers().location).toMatch(new RegExp(`/api/w3c/documents/${id}/$`));

  const container = await api.get(`/api/w3c/documents/${id}/`, { maxRedirects: 0 });
  expect(container.status()).toBe(200);
  expect(container.headers()['content-type']).toContain('application/ld+json');
  expect(container.headers().link).toContain('http://www.w3.org/ns/ldp#BasicContainer');
  expect(container.headers().etag).toBeTruthy();
  const collection = await container.json();
  expect(collection.type).toEqual(expect.arrayContaining(['BasicContainer', 'AnnotationCollection']));

  // Another tool posts an annotation with a quote selector; the reader shows it as a highlight.
  const posted = await api.post(`/api/w3c/documents/${id}/`, {
    headers: { 'content-type': 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"' },
    data: {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'Annotation',
      body: [{ type: 'TextualBody', purpose: 'classifying', value: 'evidence' }, { type: 'TextualBody', purpose: 'commenting', value: 'Posted by another tool.' }],
      target: { source: collection.id, selector: { type: 'TextQuoteSelector', exact: 'a massive, if aging, military apparatus' } },
    },
  });
  expect(posted.status()).toBe(201);
  const location = posted.headers().location;
  expect(location).toContain(`/api/w3c/documents/${id}/`);
  const annotationId = location.split('/').at(-1)!;
  const card = thread(ana.page, annotationId);
  await expect(card).toContainText('Posted by another tool.');
  await expect(card.locator('.tag-badge')).toContainText('Evidence');

  const gone = await api.delete(location);
  expect(gone.status()).toBe(204);
  await expect(card).toHaveCount(0);
  await ana.context.close();
});

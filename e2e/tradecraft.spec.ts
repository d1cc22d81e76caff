/**
 * Tradecraft on the thread cards: an assessment's likelihood and confidence, evidence's source
 * and Admiralty grade, speculation's "needs source", and the outcome asked when resolving; seen
 * live in a second browser.
 */
import { expect, test } from '@playwright/test';
import { highlight, openArticle, resolveThread, tag, thread, userInNewContext } from './helpers';

test('an analyst sets likelihood, confidence, a graded source and needs-source; resolving asks for an outcome; another reader sees it live', async ({ browser }) => {
  const ana = await userInNewContext(browser, 'Ana Tradecraft');
  const ben = await userInNewContext(browser, 'Ben Tradecraft');
  await openArticle(ana.page);
  await openArticle(ben.page);
  const a = ana.page;

  // An assessment: likelihood and confidence, shown as words with the range.
  const judgment = await tag(a, 'offers North Korea access to technological advancements', 'Assessment');
  const card = thread(a, judgment);
  await expect(card.getByText('No likelihood or confidence yet')).toBeVisible();
  await card.getByLabel('Likelihood').selectOption({ label: 'likely, 55–80 %' });
  await card.getByLabel('Confidence').selectOption('moderate');
  await expect(card.locator('.judgment')).toHaveText('likely, 55–80 %; moderate confidence');
  await expect(thread(ben.page, judgment).locator('.judgment')).toHaveText('likely, 55–80 %; moderate confidence');

  // Evidence: a source and its grade, compact with its meaning on hover.
  const evidence = await tag(a, 'The two countries can potentially establish trade networks', 'Evidence');
  const ev = thread(a, evidence);
  await ev.getByLabel('Source', { exact: true }).fill('UN Panel of Experts report, 2024');
  await ev.getByLabel('Source', { exact: true }).press('Enter');
  await ev.getByLabel('Reliability').selectOption('B');
  await ev.getByLabel('Credibility').selectOption('2');
  await expect(ev.locator('.grade')).toHaveAttribute('title', 'Usually reliable source; probably true');
  await expect(ev.locator('.grade')).toContainText('B2');
  await expect(ev.locator('.source')).toHaveText('Source: UN Panel of Experts report, 2024');

  // Speculation marked as needing a source, then resolved with an outcome and a rationale.
  const spec = await tag(a, 'using clandestine routes', 'Speculation');
  const sp = thread(a, spec);
  await sp.getByRole('checkbox', { name: 'Needs source' }).check();
  await expect(sp.locator('.needs-source')).toHaveText('Needs source');
  await resolveThread(a, spec, 'Escalated', 'Asked the desk for a second source');
  await expect(sp).toHaveClass(/is-resolved/);
  // Shown on the collapsed thread, and kept after a reload.
  await highlight(a, judgment).first().click();
  await expect(sp.locator('.outcome')).toHaveText('Escalated: Asked the desk for a second source');
  await a.reload();
  await expect(thread(a, spec).locator('.outcome')).toHaveText('Escalated: Asked the desk for a second source');
  await expect(thread(a, judgment).locator('.judgment')).toHaveText('likely, 55–80 %; moderate confidence');
  await expect(thread(ben.page, spec).locator('.outcome')).toHaveText('Escalated: Asked the desk for a second source');

  // Ben is not the author: he sees the judgment but cannot change it.
  await highlight(ben.page, judgment).first().click();
  await expect(thread(ben.page, judgment).getByLabel('Likelihood')).toHaveCount(0);
  await ana.context.close();
  await ben.context.close();
});

test('the Checks panel follows the review live in another browser and each item goes to its passage', async ({ browser }) => {
  const ana = await userInNewContext(browser, 'Ana Checks');
  const ben = await userInNewContext(browser, 'Ben Checks');
  await openArticle(ana.page);
  await openArticle(ben.page);
  await ben.page.getByRole('button', { name: /^Checks/ }).click();
  const panel = ben.page.getByRole('region', { name: 'Review checks' });
  await expect(panel).toBeVisible();

  // A bare assessment: no likelihood, no confidence, no support.
  const judgment = await tag(ana.page, 'Economic support is a key advantage of the partnership', 'Assessment');
  const about = panel.locator(`[data-check-for="${judgment}"]`);
  await expect(about.and(ben.page.locator('.check-missing_likelihood'))).toHaveCount(1);
  await expect(about.and(ben.page.locator('.check-unsupported'))).toHaveCount(1);
  await thread(ana.page, judgment).getByLabel('Likelihood').selectOption('likely');
  await thread(ana.page, judgment).getByLabel('Confidence').selectOption('moderate');
  await expect(about.and(ben.page.locator('.check-missing_likelihood'))).toHaveCount(0);
  await expect(about.and(ben.page.locator('.check-missing_confidence'))).toHaveCount(0);

  // Supported only by weak evidence (F6): flagged, naming the grade; a B2 grade clears it.
  const evidence = await tag(ana.page, 'Russia can provide food, energy, and raw materials', 'Evidence');
  await thread(ana.page, evidence).getByLabel('Reliability').selectOption('F');
  await thread(ana.page, evidence).getByLabel('Credibility').selectOption('6');
  await expect(thread(ana.page, evidence).locator('.grade')).toContainText('F6');
  const linked = await ana.page.request.post(`/api/annotations/${evidence}/links`, { data: { targetId: judgment, type: 'supports' } });
  expect(linked.status()).toBe(201);
  await expect(about.and(ben.page.locator('.check-unsupported'))).toHaveCount(0);
  await expect(about.and(ben.page.locator('.check-weak_evidence'))).toContainText('F6');
  await thread(ana.page, evidence).getByLabel('Reliability').selectOption('B');
  await thread(ana.page, evidence).getByLabel('Credibility').selectOption('2');
  await expect(about.and(ben.page.locator('.check-weak_evidence'))).toHaveCount(0);

  // An item goes to its passage: the thread is focused.
  const bare = await tag(ana.page, 'The country has long suffered under strict international sanctions', 'Assessment');
  await panel.locator(`[data-check-for="${bare}"] button`).first().click();
  await expect(panel).toBeHidden();
  await expect(thread(ben.page, bare)).toHaveClass(/is-active/);
  await ana.context.close();
  await ben.context.close();
});

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

test('links made in the threads show on both cards and live elsewhere; pointing at one marks the other; removing or deleting ends them', async ({ browser }) => {
  const ana = await userInNewContext(browser, 'Ana Links');
  const ben = await userInNewContext(browser, 'Ben Links');
  await openArticle(ana.page);
  await openArticle(ben.page);
  const a = ana.page;

  const judgment = await tag(a, 'possesses the capacity to fill this void', 'Assessment');
  await thread(a, judgment).getByLabel('Likelihood').selectOption('likely');
  await thread(a, judgment).getByLabel('Confidence').selectOption('moderate');
  const strong = await tag(a, 'Pyongyang has already been supplying Moscow with significant quantities of ammunition', 'Evidence');
  await thread(a, strong).getByLabel('Reliability').selectOption('B');
  await thread(a, strong).getByLabel('Credibility').selectOption('2');
  const weak = await tag(a, 'crucial components in the daily grind of warfare', 'Evidence');
  await thread(a, weak).getByLabel('Reliability').selectOption('F');
  await thread(a, weak).getByLabel('Credibility').selectOption('6');

  // From the judgment's thread: "Link…" (a judgment is supported by…), then a click on the evidence in the article.
  await highlight(a, judgment).first().click();
  await thread(a, judgment).getByRole('button', { name: /^Link .* to another highlight$/ }).click();
  await expect(a.getByTestId('linking-banner')).toContainText('supported by');
  await highlight(a, strong).first().click();
  await expect(a.getByTestId('linking-banner')).toBeHidden();
  await expect(thread(a, judgment).locator(`.thread-link[data-link-to="${strong}"]`)).toContainText('Supported by');
  await expect(thread(a, strong).locator(`.thread-link[data-link-to="${judgment}"]`)).toContainText('Supports');

  // From the weak evidence's thread, by keyboard: the searchable list.
  await highlight(a, weak).first().click();
  await thread(a, weak).getByRole('button', { name: /^Link .* to another highlight$/ }).click();
  await expect(thread(a, weak).getByLabel('This passage')).toHaveValue('supports');
  await a.keyboard.press('Tab');
  await a.keyboard.type('fill this void');
  const candidate = thread(a, weak).locator(`[data-candidate="${judgment}"]`);
  await expect(thread(a, weak).locator('.link-candidate')).toHaveCount(1);
  await candidate.focus();
  await a.keyboard.press('Enter');
  await expect(thread(a, weak).locator('.link-form')).toHaveCount(0);
  await expect(thread(a, judgment).locator('.thread-link')).toHaveCount(2);

  // Ben sees both links live, with the grades; his Checks list has no "unsupported" for the judgment.
  const b = ben.page;
  await expect(thread(b, judgment).locator('.thread-link')).toHaveCount(2);
  await expect(thread(b, judgment).locator(`.thread-link[data-link-to="${weak}"] .grade`)).toHaveText('F6');
  await b.getByRole('button', { name: /^Checks/ }).click();
  const panel = b.getByRole('region', { name: 'Review checks' });
  await expect(panel.locator(`[data-check-for="${judgment}"].check-missing_likelihood`)).toHaveCount(0);
  await expect(panel.locator(`[data-check-for="${judgment}"].check-unsupported`)).toHaveCount(0);
  await expect(panel.locator(`[data-check-for="${judgment}"].check-weak_evidence`)).toHaveCount(0);
  await b.keyboard.press('Escape');

  // Pointing at the judgment's thread marks both evidence passages and lifts their threads.
  await thread(b, judgment).hover();
  await expect(thread(b, strong)).toHaveClass(/is-hovered/);
  await expect(thread(b, weak)).toHaveClass(/is-hovered/);
  await expect.poll(() => b.evaluate(() => (CSS.highlights.get('mg-linked') as unknown as Set<unknown> | undefined)?.size ?? 0)).toBe(2);
  await b.mouse.move(2, 2);
  await expect(thread(b, strong)).not.toHaveClass(/is-hovered/);

  // Removing the strong link leaves only F6 support: Ben's Checks list flags the weak grade.
  await highlight(a, judgment).first().click();
  await thread(a, judgment).getByRole('button', { name: /^Remove link: supported by “Pyongyang has already/ }).click();
  await expect(thread(b, judgment).locator('.thread-link')).toHaveCount(1);
  await b.getByRole('button', { name: /^Checks/ }).click();
  await expect(panel.locator(`[data-check-for="${judgment}"].check-weak_evidence`)).toContainText('F6');
  await b.keyboard.press('Escape');

  // Resolving with "needs source" shows on the card; deleting the weak evidence takes its link away.
  await resolveThread(a, judgment, 'Needs source');
  await expect(thread(b, judgment).locator('.outcome')).toHaveText('Needs source');
  a.once('dialog', (d) => void d.accept());
  await highlight(a, weak).first().click();
  await thread(a, weak).getByRole('button', { name: /^Delete highlight/ }).click();
  await expect(thread(b, judgment).locator('.thread-link')).toHaveCount(0);
  await b.reload();
  await expect(thread(b, judgment).locator('.outcome')).toHaveText('Needs source');
  await expect(thread(b, judgment).locator('.thread-link')).toHaveCount(0);
  await ana.context.close();
  await ben.context.close();
});

test('Refine filters the threads and highlights by likelihood, grade, outcome and review checks', async ({ browser }) => {
  const ana = await userInNewContext(browser, 'Ana Refine');
  await openArticle(ana.page);
  const a = ana.page;
  const judged = await tag(a, 'Russia can also leverage its veto power', 'Assessment');
  await thread(a, judged).getByLabel('Likelihood').selectOption('very_likely');
  await thread(a, judged).getByLabel('Confidence').selectOption('high');
  const bare = await tag(a, 'Russia sees North Korea as an important', 'Assessment');
  const graded = await tag(a, 'High-level meetings and diplomatic exchanges', 'Evidence');
  await thread(a, graded).getByLabel('Reliability').selectOption('A');
  await thread(a, graded).getByLabel('Credibility').selectOption('1');
  const accepted = await tag(a, 'there is evidence of arms transfers', 'Speculation');
  await resolveThread(a, accepted, 'Accepted');
  await expect(thread(a, accepted).locator('.outcome')).toHaveText('Accepted');

  const shown = async (visible: string[], hidden: string[]) => {
    for (const id of visible) {
      await expect(thread(a, id)).toHaveCount(1);
      await expect(highlight(a, id).first()).toBeVisible();
    }
    for (const id of hidden) {
      await expect(thread(a, id)).toHaveCount(0);
      await expect(highlight(a, id)).toHaveCount(0);
    }
  };
  const refine = a.getByRole('button', { name: /^Refine/ });
  await refine.click();
  const panel = a.getByRole('group', { name: 'Refine by judgment, grade and outcome' });
  await panel.getByLabel('Likelihood').selectOption('very_likely');
  await shown([judged], [bare, graded, accepted]);
  await panel.getByLabel('Likelihood').selectOption('none');
  await shown([bare], [judged, graded, accepted]);
  await expect(refine).toContainText('1');
  await panel.getByRole('button', { name: 'Clear' }).click();
  await panel.getByLabel('Reliability').selectOption('A');
  await shown([graded], [judged, bare, accepted]);
  await panel.getByRole('button', { name: 'Clear' }).click();
  await panel.getByLabel('Outcome').selectOption('accepted');
  await shown([accepted], [judged, bare, graded]);
  await panel.getByRole('button', { name: 'Clear' }).click();
  // The bare assessment lacks likelihood, confidence and support; the graded evidence has no check.
  await panel.getByRole('checkbox', { name: 'Has review checks' }).check();
  await shown([bare], [graded, accepted]);
  await a.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(refine).toHaveAttribute('aria-pressed', 'true');
  await ana.context.close();
});

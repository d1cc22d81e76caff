import { expect, test } from '@playwright/test';
import { newUser, signIn, signUp } from './helpers';

test('signed-out visitors are sent to sign-in; sign up, sign out, sign in', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/documents/anything');
  await expect(page).toHaveURL(/\/signin\?next=%2Fdocuments%2Fanything/);
  expect((await page.request.get('/api/documents')).status()).toBe(401);

  const user = newUser('Dora Lee');
  await signUp(page, user);
  await expect(page.getByText('Dora Lee')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin/);

  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form [role=alert]')).toHaveText('Wrong email or password.');
  await signIn(page, user);
  await expect(page.getByRole('link', { name: /The Russia–North Korea Alliance/ })).toBeVisible();
});

test('sign-up explains what is wrong with the form', async ({ page }) => {
  const user = newUser('Eve Stone');
  await signUp(page, user);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/signup');
  await page.getByLabel('Name').fill('Someone');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel(/^Password/).fill('long enough pw');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('form [role=alert]')).toContainText('already exists');
});

test('repeated wrong passwords are throttled with a clear message', async ({ page }) => {
  const user = newUser('Fay Wong');
  await signUp(page, user);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  const error = page.locator('form [role=alert]');
  for (let i = 0; i < 9; i++) { // the sign-up's own sign-in was the first attempt
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(`wrong ${i}`);
    const answered = page.waitForResponse((r) => r.url().includes('/api/auth/callback/credentials'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect((await answered).status()).toBe(401);
    await expect(error).toHaveText('Wrong email or password.');
  }
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(error).toContainText('Too many attempts');
});

test('before the page is live, the sign-in and sign-up forms cannot send a password in the URL', async ({ browser }) => {
  // No JavaScript at all is the extreme of "not hydrated yet".
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const [path, button] of [['/signin', 'Sign in'], ['/signup', 'Create account']] as const) {
    await page.goto(path);
    await expect(page.getByRole('button', { name: button })).toBeDisabled();
    await expect(page.locator('form')).toHaveAttribute('method', 'post');
    await page.getByLabel(/^Password/).fill('secret words here');
    await page.getByLabel(/^Password/).press('Enter');
    expect(page.url()).not.toContain('password');
  }
  await context.close();
});

import { expect, test } from '@playwright/test';
import { newUser } from './helpers';

test('sign-up refuses common and all-space passwords, saying why next to the password', async ({ page }) => {
  const user = newUser('Pia Weak');
  await page.goto('/signup');
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  const password = page.getByLabel(/^Password/);
  const alert = page.locator('form [role=alert]');

  await password.fill('Password1');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(alert).toHaveText('Password is one of the 10,000 most common passwords; choose another');
  await expect(password).toHaveAttribute('aria-describedby', 'sign-up-error');

  await password.fill('        ');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(alert).toHaveText('Password must not be only spaces');

  await password.fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
});

/** On a system without a secure key store the app refuses to persist and offers a session-only key. */
import { expect, openApp, snap, test } from './fixtures';

const KEY = `ffsk_${'0badc0de'.repeat(8)}`;
test.use({ weakKeyStore: true });

test('a weak key store: the key is kept for this session only after an explicit choice', async ({
  page,
  app,
}) => {
  await openApp(page, app);
  await page.getByRole('button', { name: /^Account/ }).click();
  const panel = page.getByRole('complementary', { name: 'Account and keys' });
  await expect(panel.getByText(/no secure key store/)).toBeVisible();

  app.clipboard.text = KEY;
  await panel.getByRole('button', { name: 'Paste key from clipboard' }).click();
  const keep = panel.getByRole('button', { name: 'Keep the key for this session only' });
  await expect(keep).toBeVisible();
  expect(
    (await app.core.vault.status()).profiles.some((p) => p.kind === 'cloud' && p.configured),
  ).toBe(false);

  await keep.click();
  await expect(panel.getByText(`ffsk_…${KEY.slice(-4)}`)).toBeVisible();
  await expect(panel.getByText('session only').last()).toBeVisible();
  const cloud = (await app.core.vault.status()).profiles.find((p) => p.kind === 'cloud');
  expect(cloud).toMatchObject({ configured: true, sessionOnly: true });
  expect(await page.content()).not.toContain(KEY);
  await snap(page, 'app-account-weak-store');
});

/**
 * The key never reaches the page: not in the DOM, not in anything window.renderio returns,
 * not in what is pushed. It enters through main only (clipboard, key file, environment).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, snap, test, type PageGlobals } from './fixtures';

const CLIPBOARD_KEY = `ffsk_${'c0ffee42'.repeat(8)}`;
const FILE_KEY = `ffsk_${'5eed1234'.repeat(8)}`;
const ENV_KEY = `ffsk_${'e7e7a1b2'.repeat(8)}`;

test.use({ env: { RENDERIO_API_KEY: ENV_KEY } });

/** Everything the page can see or reach, as one string. */
async function everythingThePageSees(page: Page): Promise<string> {
  const html = await page.content();
  const text = await page.locator('body').innerText();
  const api = await page.evaluate(async () => {
    const g = globalThis as unknown as PageGlobals;
    const r = g.renderio;
    if (!r) return 'no bridge';
    const results = await Promise.all([
      r.vault.status(),
      r.queue.snapshot(),
      r.settings.get(),
      r.presets.list(),
    ]);
    const storage = JSON.stringify({ ...g.localStorage }) + JSON.stringify({ ...g.sessionStorage });
    return JSON.stringify(results) + storage + g.document.cookie;
  });
  return [html, text, api].join('\n');
}

test('keys entered by clipboard, file and environment never appear in the page', async ({
  page,
  app,
}) => {
  const pushed: string[] = [];
  page.on('response', async (response) => {
    if (response.url().includes('/__harness/ipc/')) pushed.push(await response.text());
  });
  await openApp(page, app);
  // Also listen to the push channel, as the page could.
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      pushed: string[];
      EventSource: new (url: string) => { onmessage: ((e: { data: string }) => void) | null };
    };
    g.pushed = [];
    new g.EventSource('/__harness/events').onmessage = (e) => g.pushed.push(e.data);
  });
  await page.getByRole('button', { name: /^Account/ }).click();
  const panel = page.getByRole('complementary', { name: 'Account and keys' });
  await expect(panel).toBeVisible();
  // The environment's key shows as set, masked.
  await expect(panel.getByText('ffsk_…a1b2')).toBeVisible();

  // Clipboard: main reads it; the page only learns the status.
  app.clipboard.text = `${CLIPBOARD_KEY}\n`;
  await panel.getByRole('button', { name: 'Paste key from clipboard' }).first().click();
  await expect(panel.getByText(`ffsk_…${CLIPBOARD_KEY.slice(-4)}`)).toBeVisible();
  await expect(panel.getByRole('status')).toContainText(/unverified|stored|saved/i);

  // A key file chosen in the native dialog. Offline, a replacement key cannot be verified and
  // is refused (rotation keeps the old key), so the clipboard key is removed first.
  await panel.getByRole('button', { name: 'Remove key' }).click();
  await expect(panel.getByText(`ffsk_…${CLIPBOARD_KEY.slice(-4)}`)).toHaveCount(0);
  const keyFile = join(app.mediaDir, 'renderio.env');
  await writeFile(keyFile, `RENDERIO_API_KEY=${FILE_KEY}\n`);
  app.nextKeyFile = keyFile;
  await panel.getByRole('button', { name: 'Import key from file…' }).first().click();
  // The file's key is now the profile's: without this the leak check below would also pass
  // with an import that was refused or never read the file.
  await expect(panel.getByText(`ffsk_…${FILE_KEY.slice(-4)}`)).toBeVisible();
  await expect(panel.getByRole('status')).toContainText(/unverified|stored|saved/i);
  // Scrolled to its end, the drawer keeps its title and × in view (they stay at the top).
  await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  expect(await panel.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await expect(panel.getByRole('heading', { name: 'Account and keys' })).toBeInViewport();
  await expect(panel.getByRole('button', { name: 'Close account panel' })).toBeInViewport();
  // At the very top of the drawer, with nothing scrolled showing above it.
  const [panelBox, headBox] = await Promise.all([
    panel.boundingBox(),
    panel.locator('.panel-head').boundingBox(),
  ]);
  expect(Math.abs(headBox!.y - panelBox!.y)).toBeLessThan(2);
  await snap(page, 'app-account');

  const seen =
    (await everythingThePageSees(page)) +
    pushed.join('\n') +
    (await page.evaluate(() => (globalThis as unknown as { pushed: string[] }).pushed.join('\n')));
  for (const key of [CLIPBOARD_KEY, FILE_KEY, ENV_KEY]) {
    expect(seen).not.toContain(key);
    expect(seen).not.toContain(key.slice(5, 37));
  }
  // Escape closes the panel and puts focus back on its button.
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Account/ })).toBeFocused();
  // ...while main does hold them (the environment's and the file's).
  const status = await app.core.vault.status();
  expect(status.profiles.filter((p) => p.configured).map((p) => p.hint)).toEqual(
    expect.arrayContaining([`ffsk_…${ENV_KEY.slice(-4)}`, `ffsk_…${FILE_KEY.slice(-4)}`]),
  );
});

test('a malformed key is refused with a reason that does not echo it', async ({ page, app }) => {
  await openApp(page, app);
  await page.getByRole('button', { name: /^Account/ }).click();
  const panel = page.getByRole('complementary', { name: 'Account and keys' });
  const bad = `ffsk_${'Z'.repeat(64)}`;
  app.clipboard.text = bad;
  await panel.getByRole('button', { name: 'Paste key from clipboard' }).first().click();
  await expect(panel.getByRole('status')).toContainText(/hex|starts with|characters/i);
  expect(await page.content()).not.toContain(bad);
});

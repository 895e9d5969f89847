/**
 * Key profiles driven through the Tools drawer against the real core and the real engine
 * (which makes and checks keys as RenderIO does): a key rotation verified before the old key
 * goes, a wrong new key that leaves the old one working, a key already held by another profile,
 * a rename onto a taken name, and the session-only profile from RENDERIO_API_KEY. Each is
 * checked in the core too: which key the vault lends, and what its files on disk hold.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, test, type AppUnderTest, type PageGlobals } from './fixtures';
import { snapViews } from './support/views';

async function openTool(page: Page, tab: string) {
  await page.getByRole('button', { name: 'Tools' }).click();
  const drawer = page.getByRole('dialog', { name: 'Tools' });
  await drawer.getByRole('tab', { name: tab }).click();
  return drawer;
}

/** The key the vault lends for a profile (what jobs would send). */
const keyOf = (app: AppUnderTest, profileId: string) =>
  app.core.vault.withKey(async (key) => key, { profileId });

/** keys.json and profiles.json as text, and the keys file parsed. */
async function vaultFiles(app: AppUnderTest) {
  const keys = await readFile(join(app.dataDir, 'keys.json'), 'utf8');
  const profiles = await readFile(join(app.dataDir, 'profiles.json'), 'utf8');
  const parsed = JSON.parse(keys) as {
    secrets: Record<string, { ciphertext: string; hint: string | null; verified: boolean | null }>;
  };
  return { keys, profiles, secrets: parsed.secrets, text: keys + profiles };
}

/** No form of the key on disk: not whole, not its hex body, not inside a ciphertext. */
function expectNoKeyOnDisk(files: Awaited<ReturnType<typeof vaultFiles>>, key: string) {
  expect(files.text).not.toContain(key);
  expect(files.text).not.toContain(key.slice(5, 37));
  for (const secret of Object.values(files.secrets)) {
    const bytes = Buffer.from(secret.ciphertext, 'base64');
    expect(bytes.length).toBeGreaterThan(28); // iv + tag + body: real ciphertext
    expect(bytes.toString('latin1')).not.toContain(key.slice(5, 21));
  }
}

test('key rotation: the new key is checked before the old one goes; a wrong key leaves the old one working; names and keys stay unique', async ({
  page,
  app,
}) => {
  const first = await app.engine.createKey();
  const second = await app.engine.createKey();
  // Well formed, but not a key this API knows: RenderIO answers 401.
  const wrong = `ffsk_${'d00d'.repeat(16)}`;
  await openApp(page, app);
  const drawer = await openTool(page, 'Profiles');
  const add = drawer.getByRole('form', { name: 'Add a profile' });
  await add.getByLabel('Profile name').fill('Staging');
  await add.getByLabel('API address').fill(app.engine.url);
  await add.getByRole('button', { name: 'Add profile' }).click();
  await expect(drawer.getByRole('status').first()).toContainText('Added "Staging"');
  const staging = drawer.getByRole('listitem').filter({ hasText: 'Staging' });
  const id = (await app.core.vault.status()).profiles.find((p) => p.name === 'Staging')!.profileId;

  // The first key, checked with the API.
  app.clipboard.text = first;
  await staging.getByRole('button', { name: 'Paste a key for Staging' }).click();
  await expect(drawer.getByRole('status').first()).toContainText('Key checked with RenderIO');
  await expect(staging).toContainText(`ffsk_…${first.slice(-4)} · checked with RenderIO`);
  expect(await keyOf(app, id)).toBe(first);
  const before = await vaultFiles(app);
  expectNoKeyOnDisk(before, first);
  expect(before.secrets[id]).toMatchObject({ hint: `ffsk_…${first.slice(-4)}`, verified: true });

  // A wrong new key: refused by the API, the old one kept and still accepted by it.
  app.clipboard.text = wrong;
  await staging.getByRole('button', { name: 'Paste a new key for Staging' }).click();
  await expect(drawer.getByRole('alert')).toContainText('RenderIO refused this key');
  await expect(drawer.getByRole('alert')).toContainText('The current key is kept.');
  await expect(staging).toContainText(`ffsk_…${first.slice(-4)}`);
  await snapViews(page, 'tools-rotation-refused');
  expect(await keyOf(app, id)).toBe(first);
  expect((await app.core.vault.verifyProfile(id))?.verified).toBe(true);
  const afterWrong = await vaultFiles(app);
  expect(afterWrong.secrets[id]?.ciphertext).toBe(before.secrets[id]?.ciphertext);
  expectNoKeyOnDisk(afterWrong, wrong);

  // The right new key: checked, then it replaces the old one.
  app.clipboard.text = second;
  await staging.getByRole('button', { name: 'Paste a new key for Staging' }).click();
  await expect(drawer.getByRole('status').first()).toContainText(
    'The new key replaced the old one of Staging.',
  );
  await expect(staging).toContainText(`ffsk_…${second.slice(-4)} · checked with RenderIO`);
  expect(await keyOf(app, id)).toBe(second);
  const rotated = await vaultFiles(app);
  expect(rotated.secrets[id]?.ciphertext).not.toBe(before.secrets[id]?.ciphertext);
  expectNoKeyOnDisk(rotated, first);
  expectNoKeyOnDisk(rotated, second);
  await snapViews(page, 'tools-rotation-done');

  // The same key pasted into another profile: refused before it is sent anywhere.
  await add.getByLabel('Profile name').fill('Production');
  await add.getByLabel('API address').fill(app.engine.url);
  await add.getByRole('button', { name: 'Add profile' }).click();
  const production = drawer.getByRole('listitem').filter({ hasText: 'Production' });
  await expect(production).toContainText('no key');
  const verifiesBefore = app.engine.requestLog.length;
  await production.getByRole('button', { name: 'Paste a key for Production' }).click();
  await expect(drawer.getByRole('alert')).toContainText(
    'This key is already saved in the profile "Staging"',
  );
  expect(app.engine.requestLog.length).toBe(verifiesBefore);
  const productionId = (await app.core.vault.status()).profiles.find(
    (p) => p.name === 'Production',
  )!.profileId;
  expect((await vaultFiles(app)).secrets[productionId]).toBeUndefined();

  // A rename happens inside the profile's own card, under its name, which stays; its Rename
  // button goes while it is open; Escape cancels it (the drawer stays) and Rename has the focus.
  await production.getByRole('button', { name: 'Rename Production' }).click();
  const rename = production.getByRole('form', { name: 'Rename Production' });
  await expect(rename.getByLabel('New name')).toBeFocused();
  await expect(rename.getByLabel('New name')).toHaveValue('Production');
  await expect(production.getByText('Production', { exact: true })).toBeVisible();
  await expect(production.getByRole('button', { name: 'Rename Production' })).toHaveCount(0);
  await expect(staging.getByRole('form')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(rename).toHaveCount(0);
  await expect(drawer).toBeVisible();
  await expect(production.getByRole('button', { name: 'Rename Production' })).toBeFocused();

  // Two profiles of one name: a rename onto a taken one is refused, whatever its case; the
  // field stays with what was typed, in the same card.
  await production.getByRole('button', { name: 'Rename Production' }).click();
  await rename.getByLabel('New name').fill('STAGING');
  await rename.getByRole('button', { name: 'Save name' }).click();
  await expect(drawer.getByRole('alert')).toContainText('"Staging" already exists');
  await expect(rename.getByLabel('New name')).toHaveValue('STAGING');
  await expect(rename.getByRole('button', { name: 'Cancel' })).toHaveClass(/\bsecondary\b/);
  await snapViews(page, 'tools-rename-taken');
  // Cancel: the name is unchanged, the refusal (about the typed name) goes, Rename is back.
  await rename.getByRole('button', { name: 'Cancel' }).click();
  await expect(rename).toHaveCount(0);
  await expect(drawer.getByRole('alert')).toHaveText('');
  await expect(production.getByRole('button', { name: 'Rename Production' })).toBeFocused();
  await expect(production.getByText('Production', { exact: true })).toBeVisible();
  const names = (await app.core.vault.status()).profiles.map((p) => p.name);
  expect(names.filter((n) => n.toLowerCase() === 'staging')).toEqual(['Staging']);
  expect(JSON.parse((await vaultFiles(app)).profiles)).not.toMatchObject({
    profiles: expect.arrayContaining([expect.objectContaining({ name: 'STAGING' })]),
  });
  // A name of its own is taken: the card shows it, and the focus is on its Rename again.
  await production.getByRole('button', { name: 'Rename Production' }).click();
  await rename.getByLabel('New name').fill('Production EU');
  await rename.getByLabel('New name').press('Enter');
  await expect(drawer.getByRole('status').first()).toHaveText('Renamed to "Production EU".');
  await expect(production.getByText('Production EU', { exact: true })).toBeVisible();
  await expect(production.getByRole('form')).toHaveCount(0);
  await expect(production.getByRole('button', { name: 'Rename Production EU' })).toBeFocused();
  expect((await app.core.vault.status()).profiles.map((p) => p.name)).toContain('Production EU');
  expect(await page.content()).not.toContain(second);
});

test.describe('started with RENDERIO_API_KEY', () => {
  const ENV_KEY = `ffsk_${'e7e7a1b2'.repeat(8)}`;
  test.use({ env: { RENDERIO_API_KEY: ENV_KEY } });

  test('the environment profile is shown as such, and cannot be renamed or removed; nothing of it is written', async ({
    page,
    app,
  }) => {
    await openApp(page, app);
    const drawer = await openTool(page, 'Profiles');
    const env = drawer.getByRole('listitem').filter({ hasText: 'RENDERIO_API_KEY' });
    await expect(env).toContainText('From the environment');
    await expect(env).toContainText('for this session only');
    await expect(env).toContainText(`ffsk_…${ENV_KEY.slice(-4)}`);
    await expect(env.getByRole('button')).toHaveCount(0);
    await snapViews(page, 'tools-env-profile');

    // A page that asks anyway (the renderer is untrusted) is refused by main.
    const asked = await page.evaluate(async () => {
      const r = (globalThis as unknown as PageGlobals).renderio!;
      return Promise.all([
        r.profiles.remove({ profileId: 'env' }),
        r.profiles.update({ profileId: 'env', name: 'Mine' }),
      ]);
    });
    expect(asked.map((a) => (a.ok ? 'ok' : a.error.message))).toEqual([
      expect.stringContaining('comes from the RENDERIO_API_KEY environment variable'),
      expect.stringContaining('cannot be renamed or moved here'),
    ]);
    const status = await app.core.vault.status();
    expect(status.profiles.find((p) => p.profileId === 'env')).toMatchObject({
      name: 'RENDERIO_API_KEY',
      kind: 'env',
      sessionOnly: true,
      configured: true,
    });
    // Nothing of the session profile is on disk: no key, no profile.
    const onDisk = await Promise.all(
      ['keys.json', 'profiles.json'].map((f) =>
        readFile(join(app.dataDir, f), 'utf8').catch(() => ''),
      ),
    );
    for (const text of onDisk) {
      expect(text).not.toContain(ENV_KEY.slice(5, 37));
      expect(text).not.toContain('RENDERIO_API_KEY');
      expect(text).not.toMatch(/"env"/);
    }
  });
});

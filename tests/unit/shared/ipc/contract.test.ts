/** The tools' rows of the IPC contract: every argument schema refuses what main must not get. */
import { describe, expect, it } from 'vitest';
import { ipcContract, listChannels } from '../../../../shared/ipc/contract';
import { ipcChannels } from '../../../../shared/ipc/channels';

const preset = {
  name: 'Small WebM',
  category: 'video',
  accepts: ['video'],
  ffmpegCommand: '-i {{in_file}} {{out_file}}',
  outputs: [{ alias: 'out_file', extension: 'webm' }],
};
const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) =>
  schema.safeParse(v).success;

describe('the tools rows of the contract', () => {
  it('are listed once each with the names of the channel table', () => {
    const rows = listChannels().filter((r) =>
      ['presetEditor', 'profiles', 'appSettings', 'watch'].includes(r.group),
    );
    expect(rows.map((r) => r.channel).sort()).toEqual(
      [
        ...Object.values(ipcChannels.presetEditor),
        ...Object.values(ipcChannels.profiles),
        ...Object.values(ipcChannels.appSettings),
        ...Object.values(ipcChannels.watch),
      ].sort(),
    );
    expect(new Set(listChannels().map((r) => r.channel)).size).toBe(listChannels().length);
  });

  it('take a whole preset and refuse stray fields, an id or a source smuggled in', () => {
    const create = ipcContract.presetEditor.create.args;
    expect(ok(create, { preset })).toBe(true);
    expect(ok(create, { preset: { ...preset, id: 'webm-vp9' } })).toBe(false);
    expect(ok(create, { preset: { ...preset, source: 'built-in' } })).toBe(false);
    expect(ok(create, { preset: { ...preset, accepts: [] } })).toBe(false);
    expect(ok(create, { preset: { ...preset, category: 'text' } })).toBe(false);
    expect(ok(create, { preset: { ...preset, ffmpegCommand: 'x'.repeat(20_001) } })).toBe(false);
    expect(ok(create, { preset, extra: 1 })).toBe(false);
    expect(ok(ipcContract.presetEditor.update.args, { id: 'custom-1', preset })).toBe(true);
    expect(ok(ipcContract.presetEditor.importFile.args, { path: '/etc/passwd' })).toBe(false);
    expect(ok(ipcContract.presetEditor.exportFile.args, undefined)).toBe(true);
    expect(ok(ipcContract.presetEditor.exportFile.args, { ids: [] })).toBe(false);
  });

  it('take profile names and addresses, never a key', () => {
    const add = ipcContract.profiles.add.args;
    expect(ok(add, { name: 'Production', baseUrl: 'https://renderio.dev' })).toBe(true);
    expect(ok(add, { name: 'P', baseUrl: 'https://x', key: 'ffsk_' })).toBe(false);
    expect(ok(ipcContract.profiles.setWeakStorage.args, { allow: 'yes' })).toBe(false);
    expect(ok(ipcContract.profiles.update.args, { profileId: 'a', name: 'B' })).toBe(true);
  });

  it('bound the settings the panel changes', () => {
    const update = ipcContract.appSettings.update.args;
    expect(ok(update, { concurrency: { uploads: 4 }, theme: 'dark', notifications: false })).toBe(
      true,
    );
    expect(ok(update, { concurrency: { uploads: 0 } })).toBe(false);
    expect(ok(update, { concurrency: { uploads: 33 } })).toBe(false);
    expect(ok(update, { concurrency: { uploads: 1.5 } })).toBe(false);
    expect(ok(update, { theme: 'purple' })).toBe(false);
    expect(ok(update, { outputDir: '/tmp' })).toBe(false);
    // Poll bounds: numbers in a strict pair here; their ranges and order are main's to judge
    // (settingsSchema.ts), so its refusal can say which bound and why.
    expect(ok(update, { pollIntervalSeconds: { min: 2, max: 30 } })).toBe(true);
    expect(ok(update, { pollIntervalSeconds: { max: 9999 } })).toBe(true);
    expect(ok(update, { pollIntervalSeconds: { min: '2' } })).toBe(false);
    expect(ok(update, { pollIntervalSeconds: { min: Number.NaN } })).toBe(false);
    expect(ok(update, { pollIntervalSeconds: { min: 1, every: 3 } })).toBe(false);
  });

  it('take watch folders as paths without NUL, and nothing else', () => {
    const add = ipcContract.watch.add.args;
    expect(ok(add, { folder: '/in', presetId: 'mp3', outputDir: '/out' })).toBe(true);
    expect(ok(add, { folder: '/in\0x', presetId: 'mp3', outputDir: '/out' })).toBe(false);
    expect(ok(add, { folder: '', presetId: 'mp3', outputDir: '/out' })).toBe(false);
    expect(ok(add, { folder: '/in', presetId: 'mp3' })).toBe(false);
    expect(ok(ipcContract.watch.setPaused.args, { id: 'w', paused: 1 })).toBe(false);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fromAccountPreset,
  openPresetLibrary,
  type PresetInput,
} from '../../../../../electron/core/presets/presetLibrary';
import type { Preset } from '../../../../../shared/presetTypes';
import type { PresetObject } from '../../../../../shared/renderioApi';
import { tempDir } from '../../../../support/media';

const builtIn: Preset = {
  id: 'mp3',
  name: 'MP3',
  description: '',
  category: 'audio',
  accepts: ['video', 'audio'],
  ffmpegCommand: '-i {{in_file}} -vn {{out_audio}}',
  outputs: [{ alias: 'out_audio', extension: 'mp3' }],
  source: 'built-in',
};
const input: PresetInput = {
  name: 'Half size',
  description: 'scale to 50%',
  category: 'video',
  accepts: ['video'],
  ffmpegCommand: '-i {{in_file}} -vf scale=iw/2:-2 {{out_video}}',
  outputs: [{ alias: 'out_video', extension: 'mp4' }],
};

let dir: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  dir = await tempDir('presets-');
});
afterEach(async () => {
  await dir.cleanup();
});

describe('preset library', () => {
  it('creates, edits, deletes and persists custom presets beside the built-ins', async () => {
    const lib = await openPresetLibrary({ dataDir: dir.path, builtIns: [builtIn] });
    const created = await lib.create(input);
    expect(created.id).toMatch(/^custom-/);
    expect(created.source).toBe('custom');
    const edited = await lib.update(created.id, {
      name: 'Half',
      ffmpegCommand: '-i {{in_file}} -vf scale=iw/2:-2 -an {{out_video}}',
    });
    expect(edited.ffmpegCommand).toContain('-an');
    const reopened = await openPresetLibrary({ dataDir: dir.path, builtIns: [builtIn] });
    expect(reopened.list().map((p) => p.name)).toEqual(['MP3', 'Half']);
    await reopened.delete(created.id);
    expect(
      (await openPresetLibrary({ dataDir: dir.path, builtIns: [builtIn] })).list(),
    ).toHaveLength(1);
  });

  it('refuses invalid presets with the template rules and protects built-ins', async () => {
    const lib = await openPresetLibrary({ dataDir: dir.path, builtIns: [builtIn] });
    await expect(
      lib.create({ ...input, ffmpegCommand: '-i {in_file} {{out_video}}' }),
    ).rejects.toThrow(/single braces/);
    await expect(lib.create({ ...input, ffmpegCommand: '-i {{in_file}} out.mp4' })).rejects.toThrow(
      /out_video.*not used/,
    );
    await expect(lib.create({ ...input, accepts: [] })).rejects.toThrow(/accept at least one/);
    await expect(lib.update('mp3', { name: 'x' })).rejects.toThrow(
      /Built-in presets cannot be changed/,
    );
    await expect(lib.delete('nope')).rejects.toThrow(/No preset/);
  });

  it('exports and imports JSON, refusing bad entries with reasons', async () => {
    const lib = await openPresetLibrary({ dataDir: dir.path, builtIns: [builtIn] });
    await lib.create(input);
    const text = lib.exportJson();
    const other = await tempDir('presets2-');
    try {
      const lib2 = await openPresetLibrary({ dataDir: other.path, builtIns: [builtIn] });
      const parsed = JSON.parse(text) as { presets: unknown[] };
      parsed.presets.push({
        name: 'Broken',
        category: 'video',
        accepts: ['video'],
        ffmpegCommand: '-i {{in_file}} {{out_x}}',
        outputs: [],
      });
      const { imported, rejected } = await lib2.importJson(JSON.stringify(parsed));
      expect(imported.map((p) => p.name)).toEqual(['Half size']);
      expect(rejected).toEqual([
        {
          name: 'Broken',
          reason: expect.stringMatching(/at least one output/) as unknown as string,
        },
      ]);
      // One plain sentence, without the JSON parser's words.
      await expect(lib2.importJson('not json')).rejects.toThrow(
        /^This file is not a presets file: it is not JSON\.$/,
      );
    } finally {
      await other.cleanup();
    }
  });

  it("says refused presets in sentences, with a name's control characters escaped", async () => {
    const lib = await openPresetLibrary({ dataDir: dir.path, builtIns: [builtIn] });
    const good = {
      id: 'tiny',
      name: 'Tiny',
      category: 'video',
      accepts: ['video'],
      ffmpegCommand: '-i {{in_file}} -vf scale=-2:90 {{out_file}}',
      outputs: [{ alias: 'out_file', extension: 'mp4' }],
    };
    const { imported, rejected } = await lib.importJson(
      JSON.stringify([
        good,
        { ...good, name: 'Twin' },
        { ...good, id: 'bell', name: 'Bell\u0007' },
      ]),
    );
    expect(imported.map((p) => p.name)).toEqual(['Tiny']);
    expect(rejected).toEqual([
      { name: 'Twin', reason: 'The id "tiny" appears twice in the file.' },
      {
        name: 'Bell\\u0007',
        reason: 'The name may not contain control characters (line breaks, tabs and the like).',
      },
    ]);
    expect(rejected.map((r) => r.name).join()).not.toMatch(/\p{Cc}/u);
  });

  it('maps account presets with one input to runnable presets', async () => {
    const object: PresetObject = {
      preset_id: 'p1',
      name: 'Account GIF',
      description: null,
      is_system: false,
      category: 'video',
      command_type: 'FFMPEG_COMMAND',
      ffmpeg_command: '-i {{in_video}} {{out_gif}}',
      ffmpeg_commands: null,
      input_file_keys: ['in_video'],
      output_file_definitions: { out_gif: 'clip.gif' },
      metadata: null,
      created_at: '',
      updated_at: '',
    };
    expect(fromAccountPreset(object)).toMatchObject({
      id: 'account-p1',
      source: 'account',
      remotePresetId: 'p1',
      remoteInputKey: 'in_video',
      outputs: [{ alias: 'out_gif', extension: 'gif' }],
    });
    expect(fromAccountPreset(object).unavailable).toBeUndefined();
    const lib = await openPresetLibrary({ dataDir: dir.path, builtIns: [builtIn] });
    lib.setAccountPresets([object]);
    expect(lib.get('account-p1')?.name).toBe('Account GIF');
    lib.clearAccountPresets();
    expect(lib.get('account-p1')).toBeUndefined();
  });

  it('lists account presets it cannot run as unavailable, with the reason', async () => {
    const base: PresetObject = {
      preset_id: 'wm',
      name: 'Watermark',
      description: 'Logo in the corner',
      is_system: false,
      category: 'video',
      command_type: 'FFMPEG_COMMAND',
      ffmpeg_command: '-i {{in_video}} -i {{in_logo}} -filter_complex overlay {{out_video}}',
      ffmpeg_commands: null,
      input_file_keys: ['in_video', 'in_logo'],
      output_file_definitions: { out_video: 'marked.mp4' },
      metadata: null,
      created_at: '',
      updated_at: '',
    };
    const watermark = fromAccountPreset(base);
    expect(watermark).toMatchObject({
      id: 'account-wm',
      name: 'Watermark',
      description: 'Logo in the corner',
      source: 'account',
      remotePresetId: 'wm',
      outputs: [{ alias: 'out_video', extension: 'mp4' }],
      unavailable: 'Takes 2 inputs (in_video, in_logo); RenderIO Desktop sends one file per job.',
    });
    // Nothing to pass the file as: a job could not name its input.
    expect(watermark.remoteInputKey).toBeUndefined();
    expect(fromAccountPreset({ ...base, input_file_keys: [] }).unavailable).toBe(
      'Takes no input file; RenderIO Desktop sends one file per job.',
    );
    expect(
      fromAccountPreset({ ...base, input_file_keys: ['in_video'], output_file_definitions: {} })
        .unavailable,
    ).toBe('Makes no output file, so there is nothing to download.');

    // The library keeps them (listed, in the account's order) instead of dropping them.
    const lib = await openPresetLibrary({ dataDir: dir.path, builtIns: [builtIn] });
    const runnable = { ...base, preset_id: 'one', name: 'One', input_file_keys: ['in_video'] };
    const account = lib.setAccountPresets([base, runnable]);
    expect(account.map((p) => [p.id, p.unavailable !== undefined])).toEqual([
      ['account-wm', true],
      ['account-one', false],
    ]);
    expect(lib.list().filter((p) => p.source === 'account')).toHaveLength(2);
    expect(lib.get('account-one')?.remoteInputKey).toBe('in_video');
  });

  it("refreshAccount lists the active account's presets and never keeps another account's", async () => {
    const object = (id: string, name: string): PresetObject => ({
      preset_id: id,
      name,
      description: null,
      is_system: false,
      category: 'audio',
      command_type: 'FFMPEG_COMMAND',
      ffmpeg_command: '-i {{in_file}} -vn {{out_audio}}',
      ffmpeg_commands: null,
      input_file_keys: ['in_file'],
      output_file_definitions: { out_audio: 'a.mp3' },
      metadata: null,
      created_at: '',
      updated_at: '',
    });
    // The app answers from the vault and the account's client; here, from a table.
    let active: string | null = 'studio';
    const listings: Record<string, readonly PresetObject[] | null | Error> = {
      studio: [object('s1', 'Studio MP3')],
      home: new Error('RenderIO could not be reached'),
      local: null,
    };
    const asked: string[] = [];
    const lib = await openPresetLibrary({
      dataDir: dir.path,
      builtIns: [builtIn],
      account: {
        activeAccount: () => active,
        async listPresets(accountId) {
          asked.push(accountId);
          const listing = listings[accountId];
          if (listing instanceof Error) throw listing;
          return listing ?? null;
        },
      },
    });
    const notified: number[] = [];
    lib.subscribe((all) => notified.push(all.length));

    expect((await lib.refreshAccount()).map((p) => p.id)).toEqual(['account-s1']);
    expect(lib.get('account-s1')?.source).toBe('account');
    // Listing the same account again while it cannot answer keeps what it listed before.
    listings.studio = new Error('offline');
    await expect(lib.refreshAccount()).rejects.toThrow('offline');
    expect(lib.get('account-s1')).toBeDefined();
    // Another account that cannot be reached: the first one's presets are gone all the same.
    active = 'home';
    await expect(lib.refreshAccount()).rejects.toThrow('could not be reached');
    expect(lib.list().filter((p) => p.source === 'account')).toEqual([]);
    // The local engine has none; nor does a session with no active profile.
    active = 'local';
    expect(await lib.refreshAccount()).toEqual([]);
    active = null;
    expect(await lib.refreshAccount()).toEqual([]);
    expect(asked).toEqual(['studio', 'studio', 'home', 'local']);
    expect(notified).toEqual([2, 1]);

    // Without a source there is nothing to list.
    const plain = await openPresetLibrary({ dataDir: dir.path, builtIns: [builtIn] });
    plain.setAccountPresets([object('x', 'X')]);
    expect(await plain.refreshAccount()).toEqual([]);
    expect(plain.list().map((p) => p.id)).toEqual(['mp3']);
  });
});

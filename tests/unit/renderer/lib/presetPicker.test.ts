import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRESETS } from '../../../../shared/presets';
import type { Preset } from '../../../../shared/presetTypes';
import {
  ACCOUNT_GROUP_LABEL,
  formatWords,
  outputsInWords,
  presetGroups,
  reasonElementId,
  unavailablePresets,
} from '../../../../renderer/src/lib/presetPicker';

const account = (id: string, name: string, unavailable?: string): Preset => ({
  id: `account-${id}`,
  name,
  description: '',
  category: 'video',
  accepts: ['video', 'audio', 'image'],
  ffmpegCommand: '-i {{in_file}} {{out_video}}',
  outputs: [{ alias: 'out_video', extension: 'mp4' }],
  source: 'account',
  remotePresetId: id,
  ...(unavailable ? { unavailable } : { remoteInputKey: 'in_file' }),
});

const REASON = 'Takes 2 inputs (in_video, in_logo); RenderIO Desktop sends one file per job.';

describe('presetGroups', () => {
  it('groups app presets by category and puts account presets in their own group', () => {
    const presets = [
      ...BUILT_IN_PRESETS,
      account('one', 'Account MP4'),
      account('wm', 'Watermark', REASON),
    ];
    const groups = presetGroups(presets);
    expect(groups.map((g) => g.label)).toEqual([
      'Video',
      'Animation / thumbnail',
      'Audio',
      'Image',
      ACCOUNT_GROUP_LABEL,
    ]);
    // An animated GIF or a thumbnail is made from a video: listed on its own, not as an image.
    expect(groups[1]!.options.map((o) => o.id)).toEqual(['gif', 'thumbnail-jpg', 'thumbnail-png']);
    expect(groups[3]!.options.map((o) => o.id)).not.toContain('gif');
    // An account preset appears once, in the account group, whatever its category.
    expect(groups[0]!.options.some((o) => o.id.startsWith('account-'))).toBe(false);
    expect(groups[4]!.options).toEqual([
      {
        id: 'account-one',
        name: 'Account MP4',
        label: 'Account MP4',
        disabled: false,
        reason: null,
      },
      {
        id: 'account-wm',
        name: 'Watermark',
        label: 'Watermark (unavailable)',
        disabled: true,
        reason: REASON,
      },
    ]);
    expect(groups.flatMap((g) => g.options)).toHaveLength(presets.length);
  });

  it('leaves out empty groups: no account group without account presets', () => {
    expect(presetGroups(BUILT_IN_PRESETS).map((g) => g.key)).toEqual([
      'video',
      'animation',
      'audio',
      'image',
    ]);
    expect(presetGroups([account('wm', 'Watermark', REASON)]).map((g) => g.key)).toEqual([
      'account',
    ]);
  });

  it('says what a preset makes as a person would: "WebM video", not "WEBM"', () => {
    const webm = BUILT_IN_PRESETS.find((p) => p.id === 'webm-vp9')!;
    expect(outputsInWords(webm)).toBe('WebM video');
    expect(outputsInWords(BUILT_IN_PRESETS.find((p) => p.id === 'mp3')!)).toBe('MP3 audio');
    expect(formatWords('GIF')).toBe('animated GIF');
    expect(formatWords('xyz')).toBe('XYZ file');
    expect(
      outputsInWords({
        outputs: [
          { alias: 'a', extension: 'mp3' },
          { alias: 'b', extension: 'png' },
        ],
      }),
    ).toBe('MP3 audio and PNG image');
  });

  it('lists the unavailable presets for the note, each with an id-safe element for its reason', () => {
    const presets = [...BUILT_IN_PRESETS, account('a b/1', 'Watermark', REASON)];
    expect(unavailablePresets(presets).map((o) => [o.name, o.reason])).toEqual([
      ['Watermark', REASON],
    ]);
    expect(reasonElementId('account-a b/1')).toBe('preset-reason-account-a_b_1');
  });
});

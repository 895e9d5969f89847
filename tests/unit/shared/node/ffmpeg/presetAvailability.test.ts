/** The verdict and its sentence, from capabilities as a build might have them. */
import { describe, expect, it } from 'vitest';
import type { FfmpegCapabilities } from '../../../../../shared/ffmpegTypes';
import { needsAvailability, presetAvailability } from '../../../../../shared/node/ffmpeg';
import { findPreset } from '../../../../../shared/presets';

/** A full build, as the Debian 5.1 one answers for what the presets use. */
const FULL: FfmpegCapabilities = {
  version: { text: '5.1.6', major: 5, minor: 1 },
  license: 'GPL',
  encoders: [
    'aac',
    'gif',
    'libmp3lame',
    'libopus',
    'libsvtav1',
    'libx264',
    'libx265',
    'mjpeg',
    'png',
  ],
  muxers: ['gif', 'image2', 'matroska', 'mp3', 'mp4', 'webm'],
  filters: [
    'crop',
    'drawbox',
    'format',
    'fps',
    'overlay',
    'palettegen',
    'paletteuse',
    'scale',
    'split',
    'thumbnail',
  ],
  filterOptions: {
    scale: ['w', 'h', 'flags', 'force_original_aspect_ratio', 'force_divisible_by'],
    palettegen: ['stats_mode'],
    paletteuse: ['dither', 'bayer_scale', 'diff_mode'],
  },
};

const without = (field: 'encoders' | 'muxers' | 'filters', name: string): FfmpegCapabilities => ({
  ...FULL,
  [field]: FULL[field].filter((n) => n !== name),
});

describe('presetAvailability', () => {
  it('available when everything is there', () => {
    for (const id of ['mp4-h264', 'mp4-av1', 'mp4-720p', 'gif', 'thumbnail-jpg', 'remux-mkv'])
      expect(presetAvailability(findPreset(id)!, FULL)).toEqual({ available: true });
  });

  it('a missing encoder, by its everyday name', () => {
    expect(
      presetAvailability(findPreset('mp4-av1')!, without('encoders', 'libsvtav1')),
    ).toMatchObject({
      available: false,
      reason: 'this ffmpeg has no SVT-AV1 encoder (libsvtav1)',
    });
  });

  it('a missing muxer', () => {
    expect(
      presetAvailability(findPreset('remux-mkv')!, without('muxers', 'matroska')),
    ).toMatchObject({
      available: false,
      reason: 'this ffmpeg has no way to write Matroska (MKV) files (matroska)',
    });
  });

  it('a filter option older builds lack', () => {
    const old = {
      ...FULL,
      filterOptions: { ...FULL.filterOptions, scale: ['w', 'h', 'force_original_aspect_ratio'] },
    };
    expect(presetAvailability(findPreset('mp4-small')!, old)).toMatchObject({
      available: false,
      reason:
        'this ffmpeg has no force_divisible_by option in its scale filter (a newer ffmpeg has it)',
      missing: { filterOptions: [{ filter: 'scale', option: 'force_divisible_by' }] },
    });
  });

  it('options of filters that were not read are not held against the preset', () => {
    const unread = { ...FULL, filterOptions: {} };
    expect(presetAvailability(findPreset('mp4-720p')!, unread)).toEqual({ available: true });
  });

  it('several things missing, in one sentence', () => {
    const bare = {
      ...without('encoders', 'libx264'),
      filters: FULL.filters.filter((f) => f !== 'crop'),
    };
    expect(presetAvailability(findPreset('mp4-h264')!, bare)).toMatchObject({
      available: false,
      reason: 'this ffmpeg has no H.264 encoder (libx264) and no crop filter',
    });
  });

  it('an encoder without an everyday name is still named', () => {
    expect(
      needsAvailability(
        { encoders: ['prores_ks'], muxers: [], filters: [], filterOptions: [] },
        FULL,
      ),
    ).toMatchObject({ available: false, reason: 'this ffmpeg has no encoder prores_ks' });
  });
});

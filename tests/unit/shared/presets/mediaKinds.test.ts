import { describe, expect, it } from 'vitest';
import {
  SUPPORTED_EXTENSIONS,
  describePresetRefusal,
  describeUnavailablePreset,
  findPreset,
  mediaKindFromExtension,
  presetAcceptsMedia,
} from '../../../../shared/presets';

const preset = (id: string) => {
  const p = findPreset(id);
  if (!p) throw new Error(`no preset ${id}`);
  return p;
};

describe('mediaKindFromExtension', () => {
  it.each([
    ['mp4', 'video'],
    ['.MOV', 'video'],
    ['holiday.final.mkv', 'video'],
    ['/some/dir/clip.webm', 'video'],
    ['anim.gif', 'video'],
    ['song.mp3', 'audio'],
    ['FLAC', 'audio'],
    ['voice.opus', 'audio'],
    ['photo.JPG', 'image'],
    ['x.webp', 'image'],
    ['x.png', 'image'],
  ] as const)('%s → %s', (input, kind) => {
    expect(mediaKindFromExtension(input)).toBe(kind);
  });

  it('returns null for unknown or missing extensions', () => {
    expect(mediaKindFromExtension('notes.txt')).toBeNull();
    expect(mediaKindFromExtension('')).toBeNull();
    expect(mediaKindFromExtension('archive.tar.gz')).toBeNull();
  });

  it('lists every known extension once', () => {
    expect(new Set(SUPPORTED_EXTENSIONS).size).toBe(SUPPORTED_EXTENSIONS.length);
    expect(SUPPORTED_EXTENSIONS).toContain('mp4');
  });
});

describe('refusals before upload', () => {
  it('accepts the kinds a preset declares', () => {
    expect(presetAcceptsMedia(preset('webm-vp9'), 'video')).toBe(true);
    expect(presetAcceptsMedia(preset('webm-vp9'), 'audio')).toBe(false);
    expect(presetAcceptsMedia(preset('mp3'), 'video')).toBe(true);
    expect(presetAcceptsMedia(preset('mp3'), null)).toBe(false);
  });

  it('explains a refusal in a sentence that names the preset and the kinds', () => {
    expect(describePresetRefusal(preset('webm-vp9'), 'audio')).toBe(
      '"WebM (VP9 + Opus)" takes video files; this file is an audio file.',
    );
    expect(describePresetRefusal(preset('thumbnail-jpg'), 'audio')).toBe(
      '"Thumbnail (JPG)" takes video files and images; this file is an audio file.',
    );
    expect(describePresetRefusal(preset('mp3'), 'image')).toBe(
      '"MP3" takes audio files and video files; this file is an image.',
    );
    expect(describePresetRefusal(preset('mp3'), null)).toContain(
      'not a video, audio or image format',
    );
    expect(describePresetRefusal(preset('mp3'), 'video')).toBeNull();
  });

  it('refuses an audio preset for a video known to have no sound', () => {
    expect(describePresetRefusal(preset('mp3'), 'video', { hasAudio: false })).toContain(
      'has no sound',
    );
    expect(describePresetRefusal(preset('mp3'), 'video', { hasAudio: true })).toBeNull();
    expect(describePresetRefusal(preset('mp4-h264'), 'video', { hasAudio: false })).toBeNull();
  });

  it('refuses every file for a preset marked unavailable, with its reason', () => {
    const watermark = { ...preset('mp4-h264'), name: 'Watermark', unavailable: 'Takes 2 inputs.' };
    const sentence = '"Watermark" cannot be used here. Takes 2 inputs.';
    expect(describeUnavailablePreset(watermark)).toBe(sentence);
    expect(describeUnavailablePreset(preset('mp4-h264'))).toBeNull();
    expect(describePresetRefusal(watermark, 'video')).toBe(sentence);
    expect(describePresetRefusal(watermark, null)).toBe(sentence);
    expect(presetAcceptsMedia(watermark, 'video')).toBe(false);
  });
});

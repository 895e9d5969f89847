import { describe, expect, it } from 'vitest';
import {
  cutToUtf8Bytes,
  DEFAULT_NAME_TEMPLATE,
  describeTemplateProblem,
  fitFileNameToBytes,
  MAX_FILE_NAME_BYTES,
  previewFileName,
  renderFileName,
  sanitizeFileNamePart,
  utf8Length,
} from '../../../shared/fileNameTemplate';

const date = new Date(2026, 10, 26, 12, 0, 0);

describe('renderFileName', () => {
  it('fills every token and appends the preset extension', () => {
    expect(
      renderFileName({
        template: '{name}-{preset}-{ext}-{date}',
        sourceName: 'holiday.mov',
        presetId: 'webm-vp9',
        outputExtension: 'webm',
        date,
      }),
    ).toBe('holiday-webm-vp9-mov-2026-11-26.webm');
  });

  it('adds the suffix of a multi-output preset before the extension', () => {
    expect(
      renderFileName({
        template: '{name}',
        sourceName: 'a.mp4',
        presetId: 'thumbs',
        outputExtension: '.JPG',
        suffix: '-thumb',
        date,
      }),
    ).toBe('a-thumb.jpg');
  });

  it('keeps dots inside the name and handles names without an extension', () => {
    expect(
      renderFileName({
        template: '{name}',
        sourceName: 'my.clip.v2.mp4',
        presetId: 'p',
        outputExtension: 'mp3',
        date,
      }),
    ).toBe('my.clip.v2.mp3');
    expect(
      renderFileName({
        template: '{name}.{ext}',
        sourceName: 'README',
        presetId: 'p',
        outputExtension: 'mp3',
        date,
      }),
    ).toBe('README.mp3');
  });

  it('sanitises separators, reserved names, leading dashes and dots', () => {
    expect(
      renderFileName({
        template: '{name}',
        sourceName: 'a/b\\c:d*e?.mp4',
        presetId: 'p',
        outputExtension: 'webm',
        date,
      }),
    ).toBe('a_b_c_d_e_.webm');
    expect(
      renderFileName({
        template: '{name}',
        sourceName: '-rf.mp4',
        presetId: 'p',
        outputExtension: 'webm',
        date,
      }),
    ).toBe('_rf.webm');
    expect(
      renderFileName({
        template: '{name}',
        sourceName: 'CON.mp4',
        presetId: 'p',
        outputExtension: 'webm',
        date,
      }),
    ).toBe('CON_.webm');
    expect(
      renderFileName({
        template: '{name}',
        sourceName: '...mp4',
        presetId: 'p',
        outputExtension: 'webm',
        date,
      }),
    ).toBe('output.webm');
    expect(sanitizeFileNamePart('x'.repeat(500)).length).toBeLessThanOrEqual(180);
  });

  it('falls back to the default {name}-{format} for an invalid template instead of writing a wrong name', () => {
    expect(
      renderFileName({
        template: '{nope}',
        sourceName: 'a.mp4',
        presetId: 'p',
        outputExtension: 'webm',
        date,
      }),
    ).toBe('a-webm.webm');
  });

  it('names by default after the source and the format it becomes, never the source itself', () => {
    expect(DEFAULT_NAME_TEMPLATE).toBe('{name}-{format}');
    const name = (sourceName: string, outputExtension: string) =>
      renderFileName({
        template: DEFAULT_NAME_TEMPLATE,
        sourceName,
        presetId: 'p',
        outputExtension,
        date,
      });
    expect(name('clip.mp4', 'webm')).toBe('clip-webm.webm');
    expect(name('clip.mp4', 'MP4')).toBe('clip-mp4.mp4');
    expect(name('song.wav', 'flac')).toBe('song-flac.flac');
  });
});

describe('template checks and preview', () => {
  it('refuses unknown tokens, empty templates and separators', () => {
    expect(describeTemplateProblem('{name}')).toBeNull();
    expect(describeTemplateProblem('{title}')).toMatch(/Unknown token \{title\}/);
    expect(describeTemplateProblem('')).toMatch(/empty/);
    expect(describeTemplateProblem('a/{name}')).toMatch(/separators/);
  });

  it('previews with a sample or explains the problem', () => {
    expect(previewFileName('{name}_{preset}', { date })).toEqual({
      ok: true,
      fileName: 'holiday_webm-vp9.webm',
    });
    expect(previewFileName('{oops}')).toMatchObject({ ok: false });
  });
});

describe('names are cut in UTF-8 bytes, between characters', () => {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  /** Whether `text` survives a round trip through UTF-8 (no half character, no lone surrogate). */
  const whole = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

  it('counts bytes as a disk does', () => {
    for (const text of ['clip', 'vidéo', '日本語', '🎬✓', 'a\u0301'])
      expect(utf8Length(text)).toBe(bytes(text));
    // A lone surrogate is written as U+FFFD: three bytes.
    expect(utf8Length('\ud83c')).toBe(3);
  });

  it('never cuts inside a character, a surrogate pair or a letter with its accent', () => {
    for (let max = 0; max <= 20; max++) {
      for (const text of [
        '日本語の動画日本語',
        '🎬🎬🎬🎬🎬🎬',
        'e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301',
        'ab日🎬c',
      ]) {
        const cut = cutToUtf8Bytes(text, max);
        expect(bytes(cut)).toBeLessThanOrEqual(max);
        expect(whole(cut)).toBe(true);
        expect(text.startsWith(cut)).toBe(true);
        // Nothing that would have fitted is dropped: one more grapheme is over the limit.
        expect(bytes(cut) + 4 > max || cut === text || /\u0301/.test(text)).toBe(true);
      }
    }
    expect(cutToUtf8Bytes('e\u0301e\u0301', 4)).toBe('e\u0301');
  });

  it('keeps the extension when a name is cut', () => {
    const name = `${'日本語の動画'.repeat(13)}旅行.mp4`;
    expect(bytes(name)).toBe(244);
    const fitted = fitFileNameToBytes(name, 200);
    expect(bytes(fitted)).toBeLessThanOrEqual(200);
    expect(fitted.endsWith('.mp4')).toBe(true);
    expect(whole(fitted)).toBe(true);
    expect(fitFileNameToBytes('short.mp4', 200)).toBe('short.mp4');
  });

  it('an output name from a template stays within the cap, its extension whole, room left for " (12)" and ".part"', () => {
    const sourceName = `${'日本語の動画'.repeat(5)}.mp4`;
    const name = renderFileName({
      template: '{name}-{name}-{name}',
      sourceName,
      presetId: 'mp3',
      outputExtension: 'mp3',
      date,
    });
    expect(name.endsWith('.mp3')).toBe(true);
    expect(name.startsWith('日本語の動画')).toBe(true);
    expect(whole(name)).toBe(true);
    expect(bytes(name)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(bytes(`${name.slice(0, -4)} (12).mp3.part`)).toBeLessThan(255);
    // Emoji (surrogate pairs) and a suffix: still whole characters, still within the cap.
    const emoji = renderFileName({
      template: '{name}',
      sourceName: `${'🎬'.repeat(100)}.mov`,
      presetId: 'p',
      outputExtension: 'webm',
      suffix: '-thumb',
      date,
    });
    expect(whole(emoji)).toBe(true);
    expect(bytes(emoji)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    // A cut that ends on a dot or a space does not leave it at the end of the name.
    expect(sanitizeFileNamePart(`${'a'.repeat(178)}. b`)).toBe('a'.repeat(178));
  });
});

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NAME_TEMPLATE,
  describeTemplateProblem,
  previewFileName,
  renderFileName,
  sanitizeFileNamePart,
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

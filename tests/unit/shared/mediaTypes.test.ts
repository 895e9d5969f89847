import { describe, expect, it } from 'vitest';
import { contentTypeForName, mimeTypeForExtension } from '../../../shared/mediaTypes';

describe('media types', () => {
  it('maps extensions with or without a dot, in any case', () => {
    expect(mimeTypeForExtension('mp4')).toBe('video/mp4');
    expect(mimeTypeForExtension('.WEBM')).toBe('video/webm');
    expect(mimeTypeForExtension('opus')).toBe('audio/ogg');
    expect(mimeTypeForExtension('xyz')).toBeNull();
  });

  it('gives a Content-Type for a file name, octet-stream when unknown', () => {
    expect(contentTypeForName('holiday.MOV')).toBe('video/quicktime');
    expect(contentTypeForName('clip.tar.gz')).toBe('application/octet-stream');
    expect(contentTypeForName('README')).toBe('application/octet-stream');
  });
});

import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { contentTypeFor, resolveAppPath } from '../../../../electron/main/appProtocolPath';

const root = resolve('/opt/app/dist/renderer');

describe('resolveAppPath', () => {
  it('serves files under the renderer folder', () => {
    expect(resolveAppPath(root, 'app://renderer/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://renderer/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://renderer/assets/index-abc.js?x=1#h')).toBe(
      join(root, 'assets/index-abc.js'),
    );
  });

  it('keeps dot segments that URL parsing resolves inside the folder', () => {
    expect(resolveAppPath(root, 'app://renderer/../main/main.mjs')).toBe(
      join(root, 'main/main.mjs'),
    );
    expect(resolveAppPath(root, 'app://renderer/%2e%2e/%2e%2e/etc/passwd')).toBe(
      join(root, 'etc/passwd'),
    );
  });

  it.each([
    'app://renderer/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://renderer/assets/..%5c..%5csecret',
    'app://renderer/a%00.js',
    'app://renderer/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'https://renderer/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });

  it('types what it serves', () => {
    expect(contentTypeFor('/x/index.html')).toMatch(/^text\/html/);
    expect(contentTypeFor('/x/a.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/x/blob')).toBe('application/octet-stream');
  });
});

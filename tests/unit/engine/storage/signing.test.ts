import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UrlSigner } from '../../../../engine/storage/signing';
import { safeFileName } from '../../../../engine/storage/blobStore';

describe('UrlSigner', () => {
  const signer = new UrlSigner(randomBytes(32), 60);
  const parts = (url: string) => {
    const u = new URL(url);
    return [u.searchParams.get('expires'), u.searchParams.get('signature')] as const;
  };

  it('accepts its own URL until it expires', () => {
    const now = Date.now();
    const url = signer.sign('http://127.0.0.1:1', 'id1', 'a b.mp4', now);
    expect(url).toMatch(
      /^http:\/\/127\.0\.0\.1:1\/storage\/id1\/a%20b\.mp4\?expires=\d+&signature=[0-9a-f]{64}$/,
    );
    const [exp, sig] = parts(url);
    expect(signer.check('id1', 'a b.mp4', exp, sig, now)).toBe('ok');
    expect(signer.check('id1', 'a b.mp4', exp, sig, now + 61_000)).toBe('expired');
  });

  it('refuses another file, another name, a changed expiry or another secret', () => {
    const [exp, sig] = parts(signer.sign('http://h', 'id1', 'a.mp4'));
    expect(signer.check('id2', 'a.mp4', exp, sig)).toBe('invalid');
    expect(signer.check('id1', 'b.mp4', exp, sig)).toBe('invalid');
    expect(signer.check('id1', 'a.mp4', String(Number(exp) + 1000), sig)).toBe('invalid');
    expect(new UrlSigner(randomBytes(32), 60).check('id1', 'a.mp4', exp, sig)).toBe('invalid');
    expect(signer.check('id1', 'a.mp4', null, sig)).toBe('invalid');
  });
});

describe('safeFileName', () => {
  it.each([
    ['clip.mp4', 'clip.mp4'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\film.mov', 'film.mov'],
    ['..', 'file.bin'],
    ['.hidden', 'hidden'],
    ['a\u0000b?.mp4', 'a_b_.mp4'],
    ['', 'file.bin'],
  ])('%j → %j', (raw, safe) => {
    expect(safeFileName(raw)).toBe(safe);
  });
});

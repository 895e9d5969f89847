import { describe, expect, it } from 'vitest';
import { shortPath } from '../../../../renderer/src/lib/shortPath';

describe('shortPath', () => {
  it('keeps a short path whole', () => {
    expect(shortPath('/home/ana/Out')).toBe('/home/ana/Out');
  });

  it('keeps the end of a long path in whole words, never "…/Convert…"', () => {
    expect(shortPath('/home/ana/Videos/Holiday 2026/Converted')).toBe('…/Holiday 2026/Converted');
    expect(shortPath('/tmp/renderio-e2e-media-a8Xk2p/Converted')).toBe(
      '…/renderi…a8Xk2p/Converted',
    );
    expect(shortPath('C:\\Users\\ana\\Videos\\Converted\\Final')).toBe('…\\Converted\\Final');
  });

  it('shortens a very long folder name in its middle, keeping both ends', () => {
    const s = shortPath('/a/b/c/an-extremely-long-folder-name-for-results-2026');
    expect(s.startsWith('…/')).toBe(true);
    expect(s).toContain('an-extremel');
    expect(s.endsWith('2026')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(32);
  });
});

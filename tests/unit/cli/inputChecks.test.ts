/** The words for a folder the CLI cannot write in: a read-only disk is not a permission problem. */
import { describe, expect, it } from 'vitest';
import { writeProblemWords } from '../../../cli/inputChecks';

describe('writeProblemWords', () => {
  it('says "read-only disk" for EROFS', () => {
    expect(writeProblemWords('EROFS')).toBe('is on a read-only disk');
  });

  it('says "no permission" for EACCES and EPERM, and names any other code', () => {
    expect(writeProblemWords('EACCES')).toBe('cannot be written (no permission)');
    expect(writeProblemWords('EPERM')).toBe('cannot be written (no permission)');
    expect(writeProblemWords('EIO')).toBe('cannot be written (EIO)');
  });
});

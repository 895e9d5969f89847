import { describe, expect, it } from 'vitest';
import { isSelectAllKey } from '../../../../renderer/src/lib/selection';

const key = (
  over: Partial<Parameters<typeof isSelectAllKey>[0]> & { tag?: string; type?: string },
) => {
  const { tag = 'SPAN', type, ...rest } = over;
  return {
    key: 'a',
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    target: { tagName: tag, type, isContentEditable: false },
    ...rest,
  };
};

describe('Ctrl/Cmd+A in the list', () => {
  it('selects all from a row or its checkbox, with Ctrl or Cmd', () => {
    expect(isSelectAllKey(key({ ctrlKey: true }))).toBe(true);
    expect(isSelectAllKey(key({ metaKey: true, key: 'A' }))).toBe(true);
    expect(isSelectAllKey(key({ ctrlKey: true, tag: 'INPUT', type: 'checkbox' }))).toBe(true);
    expect(isSelectAllKey(key({ ctrlKey: true, tag: 'BUTTON' }))).toBe(true);
  });

  it('leaves text fields, other chords and plain keys alone', () => {
    expect(isSelectAllKey(key({ ctrlKey: true, tag: 'INPUT', type: 'text' }))).toBe(false);
    expect(isSelectAllKey(key({ ctrlKey: true, tag: 'TEXTAREA' }))).toBe(false);
    expect(isSelectAllKey(key({ ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isSelectAllKey(key({ ctrlKey: true, altKey: true }))).toBe(false);
    expect(isSelectAllKey(key({}))).toBe(false);
    expect(isSelectAllKey(key({ ctrlKey: true, key: 'b' }))).toBe(false);
  });
});

/**
 * The shortcut table (shared/shortcuts.ts): its keys are accelerators Electron parses
 * (checked with the strict double's parser, which follows accelerator_util.cc and
 * keyboard_util.cc), no two commands share a key, the window's key matching follows
 * Electron's CmdOrCtrl, and docs/SHORTCUTS.md lists exactly the table's rows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HELP_URLS,
  isShortcutId,
  matchesAccelerator,
  SHORTCUTS,
  shortcutDocRows,
  shortcutForKey,
  type KeyLike,
} from '../../../shared/shortcuts';
import { acceleratorProblem } from '../../support/electron/menu';

/** One key as Electron compares them: case-insensitive, CmdOrCtrl spelled one way. */
function normalize(accelerator: string): string {
  return accelerator
    .toLowerCase()
    .split('+')
    .map((t) => (t === 'commandorcontrol' ? 'cmdorctrl' : t === 'control' ? 'ctrl' : t))
    .sort()
    .join('+');
}

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('the shortcut table', () => {
  it('has unique ids, and every key is an accelerator Electron parses', () => {
    const ids = SHORTCUTS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = SHORTCUTS.flatMap((s) => [s.accelerator, ...(s.alternates ?? [])]).filter(
      (k): k is string => k !== null,
    );
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const k of keys) expect(acceleratorProblem(k), k).toBeNull();
    // The parser does refuse what Electron cannot read.
    expect(acceleratorProblem('CmdOrCtrl+Spacebar')).toMatch(/Invalid accelerator token/);
    expect(acceleratorProblem('CmdOrCtrl+Shift')).toMatch(/doesn't contain a valid key/);
  });

  it('gives no two commands the same key', () => {
    const seen = new Map<string, string>();
    for (const s of SHORTCUTS) {
      for (const k of [s.accelerator, ...(s.alternates ?? [])]) {
        if (k === null) continue;
        const n = normalize(k);
        expect(seen.get(n), `${k} of ${s.id}`).toBeUndefined();
        seen.set(n, s.id);
      }
    }
  });

  it('has the keys the issue asks for, in the window or the menu', () => {
    const by = Object.fromEntries(SHORTCUTS.map((s) => [s.id, s]));
    expect(by['add-files']?.accelerator).toBe('CmdOrCtrl+O');
    expect(by['settings']?.accelerator).toBe('CmdOrCtrl+,');
    expect(by['pause-resume']).toMatchObject({ accelerator: 'Space', scope: 'window' });
    expect(by['remove-job']).toMatchObject({ accelerator: 'Delete', scope: 'window' });
    expect(isShortcutId('add-files')).toBe(true);
    expect(isShortcutId('rm -rf')).toBe(false);
    expect(Object.values(HELP_URLS).every((u) => u.startsWith('https://'))).toBe(true);
  });

  it('matches keys with Electron’s CmdOrCtrl and exact modifiers', () => {
    expect(matchesAccelerator(key('o', { ctrlKey: true }), 'CmdOrCtrl+O', false)).toBe(true);
    expect(matchesAccelerator(key('O', { ctrlKey: true }), 'CmdOrCtrl+O', false)).toBe(true);
    expect(matchesAccelerator(key('o', { metaKey: true }), 'CmdOrCtrl+O', false)).toBe(false);
    expect(matchesAccelerator(key('o', { metaKey: true }), 'CmdOrCtrl+O', true)).toBe(true);
    expect(matchesAccelerator(key('o', { ctrlKey: true }), 'CmdOrCtrl+O', true)).toBe(false);
    expect(matchesAccelerator(key(','), 'CmdOrCtrl+,', false)).toBe(false);
    expect(matchesAccelerator(key(' '), 'Space', false)).toBe(true);
    expect(matchesAccelerator(key(' ', { ctrlKey: true }), 'Space', false)).toBe(false);
    expect(matchesAccelerator(key('Delete'), 'Delete', false)).toBe(true);
    expect(matchesAccelerator(key('Delete', { shiftKey: true }), 'Delete', false)).toBe(false);
    expect(shortcutForKey(key('Backspace'), false)?.id).toBe('remove-job');
    expect(shortcutForKey(key(',', { ctrlKey: true }), false)?.id).toBe('settings');
    expect(shortcutForKey(key('x'), false)).toBeNull();
  });

  it('is listed row for row in docs/SHORTCUTS.md', () => {
    const doc = readFileSync('docs/SHORTCUTS.md', 'utf8');
    const section = doc.split("## The app's commands")[1]?.split('\n## ')[0] ?? '';
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .slice(2) // header and ruler
      .map((line) =>
        line
          .slice(1, -1)
          .split('|')
          .map((cell) => cell.trim()),
      );
    expect(rows).toEqual(shortcutDocRows());
  });
});

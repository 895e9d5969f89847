/**
 * Why a custom preset in `<data-dir>/presets.json` is not offered. The preset library leaves
 * out a saved preset that no longer passes its checks (a hand edit, or rules that became
 * stricter), so the CLI would only see an unknown id; this says what is wrong with it, in the
 * preset's own terms and its command as written.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPresetCommand } from '../electron/core/presets/commandSafety';
import { presetProblems } from '../shared/presets';
import { shownPath, shownText } from './printable';

/** The message for a saved custom preset with this id that was refused, or null. */
export async function describeRefusedCustomPreset(
  dataDir: string,
  presetId: string,
): Promise<string | null> {
  const file = join(dataDir, 'presets.json');
  let saved: unknown;
  try {
    saved = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return null; // no file, or not JSON: the id is simply unknown
  }
  const list = (saved as { presets?: unknown } | null)?.presets;
  if (!Array.isArray(list)) return null;
  const raw: unknown = list.find((p: unknown) => (p as { id?: unknown } | null)?.id === presetId);
  if (raw === undefined) return null;
  const problems = presetProblems(raw, { checkCommand: checkPresetCommand });
  if (problems.length === 0) return null;
  const name = (raw as { name?: unknown }).name;
  const called =
    typeof name === 'string' && name.trim() !== '' ? `"${shownText(name.trim())}" ` : '';
  return `The custom preset ${called}(${shownText(presetId)}) in ${shownPath(file)} cannot be used:\n${problems.map((p) => `  ${shownText(p, true)}`).join('\n')}`;
}

/**
 * What the Tools drawer says after an import or an ffmpeg choice, in its tone. Pure, so the
 * tone rules are unit-tested: green only when everything asked for was done; a partial result
 * (some presets refused, presets this ffmpeg cannot run) is a caveat, amber; nothing done is a
 * refusal.
 */
import type { PresetImportReport } from '../../../../shared/ipc/toolsContract';
import type { LocalEngineStatus } from '../../../../shared/localEngine';

/** As the store's ToolMessage (store/toolsStore.ts), kept here so this file stays DOM-free. */
export interface ToolMessage {
  kind: 'ok' | 'warn' | 'error';
  text: string;
}

const presetCount = (n: number) => `${n} preset${n === 1 ? '' : 's'}`;

/** "A, B and C". */
function inWords(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]!;
}

/**
 * An import's report: the count, then each refused preset on a line of its own, in sentences
 * (main escapes a name's control characters and says each reason in the form's words).
 */
export function importReportMessage(
  report: Pick<PresetImportReport, 'rejected'> & { imported: readonly unknown[] },
): ToolMessage {
  const { imported, rejected } = report;
  const lines = [
    `${presetCount(imported.length)} imported.${rejected.length ? ` ${presetCount(rejected.length)} could not be imported:` : ''}`,
    ...rejected.map((r) => `"${r.name}" was not imported. ${r.reason}`),
  ];
  // Nothing imported and something refused is a refusal; some refused, or a file that held
  // none, is a caveat; only every preset imported is a success.
  const kind =
    rejected.length > 0 && imported.length === 0
      ? 'error'
      : rejected.length > 0 || imported.length === 0
        ? 'warn'
        : 'ok';
  return { kind, text: lines.join('\n') };
}

/**
 * Main's sentence after an ffmpeg was chosen or "Use automatic" was pressed, in its tone, with
 * the engine's status that followed. When that ffmpeg cannot run some presets, which ones and
 * why, one line per reason: "This ffmpeg has no H.264 encoder (libx264), so MP4 for the web and
 * 720p MP4 run on RenderIO only." Presets left behind, or no ffmpeg found at all, is a caveat,
 * not a success.
 */
export function ffmpegChoiceMessage(
  text: string,
  engine: Pick<LocalEngineStatus, 'summary' | 'unavailablePresets'> | null,
  presets: readonly { id: string; name: string }[],
): ToolMessage {
  if (!engine?.summary) return { kind: 'warn', text };
  const ids = Object.keys(engine.unavailablePresets);
  if (ids.length === 0) return { kind: 'ok', text };
  // In the picker's order; a preset the window does not list yet is named by its id.
  const order = new Map(presets.map((p, i) => [p.id, i]));
  ids.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
  const byReason = new Map<string, string[]>();
  for (const id of ids) {
    const reason = engine.unavailablePresets[id]!;
    const name = presets.find((p) => p.id === id)?.name ?? id;
    byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
  }
  const lines = [...byReason].map(
    ([reason, names]) =>
      `${reason.charAt(0).toUpperCase()}${reason.slice(1)}, so ${inWords(names)} ${names.length === 1 ? 'runs' : 'run'} on RenderIO only.`,
  );
  return { kind: 'warn', text: [text, ...lines].join('\n') };
}

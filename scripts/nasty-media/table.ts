/**
 * The Markdown report of a run: one row per input, one column per preset. A cell reads "ok",
 * a numbered refusal ("R3") or a numbered failure ("**FAIL F1**"); the numbers point to the
 * reasons, word for word, listed under the table (they are too long for a cell, and many
 * cells share one).
 */
import type { Preset } from '../../shared/presetTypes';
import { PWNED_MARKER, type NastyInput } from './inputs';
import type { Cell } from './runner';

export interface TableMeta {
  date: string;
  ffmpegVersion: string;
  command: string;
  /** What the `$(…)` check found: files named like its payload (none expected). */
  pwned: readonly string[];
}

const escapeCell = (text: string): string =>
  text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`').replace(/\n/g, ' ');

/** Counts of each verdict. */
export function summarize(cells: readonly Cell[]): { ok: number; refused: number; fail: number } {
  return {
    ok: cells.filter((c) => c.verdict === 'ok').length,
    refused: cells.filter((c) => c.verdict === 'refused').length,
    fail: cells.filter((c) => c.verdict === 'FAIL').length,
  };
}

export function renderTable(
  cells: readonly Cell[],
  inputs: readonly NastyInput[],
  presets: readonly Preset[],
  meta: TableMeta,
): string {
  const refusals: string[] = [];
  const failures: string[] = [];
  const numbered = (list: string[], text: string): number => {
    const at = list.indexOf(text);
    if (at >= 0) return at + 1;
    list.push(text);
    return list.length;
  };
  const byCell = new Map(cells.map((c) => [`${c.inputId}\u0000${c.presetId}`, c]));
  const rows = inputs.map((input) => {
    const row = presets.map((preset) => {
      const cell = byCell.get(`${input.id}\u0000${preset.id}`);
      if (!cell) return '';
      if (cell.verdict === 'ok') return 'ok';
      if (cell.verdict === 'refused') return `R${numbered(refusals, cell.text)}`;
      return `**FAIL F${numbered(failures, cell.text)}**`;
    });
    return `| ${escapeCell(input.label)} (\`${escapeCell(input.fileName)}\`) | ${row.join(' | ')} |`;
  });
  const { ok, refused, fail } = summarize(cells);
  const lines = [
    '# Nasty media against every built-in preset',
    '',
    `Generated on ${meta.date} with ${meta.ffmpegVersion} by`,
    '',
    `    ${meta.command}`,
    '',
    'Do not edit by hand: run the command again. `tests/integration/nastyMedia/` runs a small',
    'subset of the same script on every test run.',
    '',
    'Each input goes through the app’s own core (the queue, the client over HTTP, the local',
    'engine and its ffmpeg), exactly as a file dropped on the window or named to',
    '`renderio-convert --local` would. The inputs are made with ffmpeg’s lavfi sources',
    '(`scripts/nasty-media/inputs.ts`).',
    '',
    '## Legend',
    '',
    '- **ok**: the job finished; every output is non-empty, ffprobe reads it, and it has the',
    '  streams the preset promises (a picture for video and image presets, sound for audio',
    '  ones, the input’s sound kept by video presets).',
    '- **R*n***: refused (when added, or failed by ffmpeg) with a one-line plain reason, listed',
    '  below word for word.',
    '- **FAIL F*n***: what must never happen: a hang past the cell’s time limit, a stack trace,',
    '  an errno code, several lines or "RenderIO" in the reason, an empty or unreadable output,',
    '  or a `.part` file left in the output folder.',
    '',
    `**Summary:** ${cells.length} cells: ${ok} ok, ${refused} refused, ${fail} FAIL.`,
    '',
    meta.pwned.length === 0
      ? `The \`$(touch ${PWNED_MARKER}).mp4\` input ran nothing: no file named \`${PWNED_MARKER}\` appeared in the work folders or the current folder.`
      : `**FAIL:** the \`$(…)\` name was executed: ${meta.pwned.map(escapeCell).join(', ')}.`,
    '',
    '## Table',
    '',
    `| Input | ${presets.map((p) => `\`${p.id}\``).join(' | ')} |`,
    `| --- | ${presets.map(() => ':-:').join(' | ')} |`,
    ...rows,
    '',
    '## Refusals',
    '',
    ...(refusals.length === 0
      ? ['None.']
      : refusals.map((r, i) => `- **R${i + 1}**: ${escapeCell(r)}`)),
    '',
    '## Failures',
    '',
    ...(failures.length === 0
      ? ['None.']
      : failures.map((f, i) => `- **F${i + 1}**: ${escapeCell(f)}`)),
    '',
  ];
  return lines.join('\n');
}

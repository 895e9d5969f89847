/**
 * The nasty-media script on its small subset (scripts/nasty-media/subsets.ts): odd size, one
 * frame, alpha, 5.1, zero bytes, a text file named .mp4, a leading dash and a `$(…)` name,
 * through a video, a GIF, an image and an audio preset, on the real local engine
 * through the app's core. docs/NASTY-MEDIA.md is the same script on the whole set.
 */
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPwned } from '../../../scripts/nasty-media/inputs';
import { runNastyMedia, type RunResult } from '../../../scripts/nasty-media/runner';
import { subset } from '../../../scripts/nasty-media/subsets';
import { renderTable } from '../../../scripts/nasty-media/table';
import { probe, tempDir } from '../../support/media';

const { inputs, presets } = subset('small');
let dir: { path: string; cleanup(): Promise<void> };
let result: RunResult;

beforeAll(async () => {
  dir = await tempDir('nasty-media-it-');
  result = await runNastyMedia({ inputs, presets, workDir: dir.path, cellTimeoutMs: 60_000 });
}, 240_000);

afterAll(async () => {
  await dir?.cleanup();
});

const describeCell = (c: RunResult['cells'][number]): string =>
  `${c.inputId} × ${c.presetId}: ${c.verdict} ${c.text}`;

describe('nasty media, small subset', () => {
  it('has a verdict for every input × preset', () => {
    expect(result.cells).toHaveLength(inputs.length * presets.length);
    const keys = new Set(result.cells.map((c) => `${c.inputId}/${c.presetId}`));
    for (const i of inputs) for (const p of presets) expect(keys.has(`${i.id}/${p.id}`)).toBe(true);
  });

  it('has no FAIL cell: no hang, stack, errno, empty output or .part left', () => {
    expect(result.cells.filter((c) => c.verdict === 'FAIL').map(describeCell)).toEqual([]);
  });

  it('makes ffprobe-valid, non-empty outputs in every ok cell', async () => {
    const ok = result.cells.filter((c) => c.verdict === 'ok');
    // The subset is chosen so that both outcomes occur (e.g. the odd clip converts).
    expect(ok.length).toBeGreaterThan(5);
    for (const cell of ok) {
      expect(cell.outputs.length, describeCell(cell)).toBeGreaterThan(0);
      for (const path of cell.outputs) {
        expect((await stat(path)).size, path).toBeGreaterThan(0);
        const streams = (await probe(path)).streams.map((s) => s.codec_type);
        const preset = presets.find((p) => p.id === cell.ranPresetId);
        expect(streams, describeCell(cell)).toContain(
          preset?.category === 'audio' ? 'audio' : 'video',
        );
      }
    }
  });

  it('refuses with one line of plain words: no stack, no errno, no "RenderIO"', () => {
    const refused = result.cells.filter((c) => c.verdict === 'refused');
    expect(refused.length).toBeGreaterThan(5);
    for (const cell of refused) {
      const where = describeCell(cell);
      expect(cell.text.trim(), where).not.toBe('');
      expect(cell.text, where).not.toMatch(/\n/);
      expect(cell.text, where).not.toMatch(/\bat \S+ \(|\.ts:\d+|\.js:\d+/);
      expect(cell.text, where).not.toMatch(/\bE[A-Z]{3,}\b|ERR_[A-Z_]+/);
      expect(cell.text, where).not.toMatch(/renderio/i);
    }
    // The files that are not media are refused, each for what it is.
    const zero = refused.find((c) => c.inputId === 'zero-bytes');
    expect(zero?.text).toMatch(/empty/);
    const text = refused.find((c) => c.inputId === 'text' && c.presetId === 'mp4-h264');
    expect(text?.text).toMatch(/could not be read/);
  });

  it('converts the one-frame video to a GIF and the names a shell would misread', () => {
    const verdict = (input: string, preset: string): string | undefined =>
      result.cells.find((c) => c.inputId === input && c.presetId === preset)?.verdict;
    expect(verdict('one-frame', 'gif')).toBe('ok');
    for (const input of ['dash', 'subshell']) expect(verdict(input, 'mp4-h264')).toBe('ok');
  });

  it('never runs the `$(…)` in a file name', async () => {
    expect(await findPwned([dir.path], [process.cwd()])).toEqual([]);
  });

  it('renders the table with the summary and no FAIL', () => {
    const md = renderTable(result.cells, inputs, presets, {
      date: '2026-01-01',
      ffmpegVersion: 'ffmpeg test',
      command: 'test',
      pwned: [],
    });
    expect(md).toMatch(
      new RegExp(
        `\\*\\*Summary:\\*\\* ${result.cells.length} cells: \\d+ ok, \\d+ refused, 0 FAIL\\.`,
      ),
    );
    expect(md).not.toMatch(/\*\*FAIL F\d/);
    // The header, its rule and one row per input.
    expect(md.split('\n').filter((l) => l.startsWith('| ')).length).toBe(inputs.length + 2);
  });
});

/**
 * The nasty-media table: every input of scripts/nasty-media/inputs.ts through every built-in
 * preset on the local engine, through the app's core. Writes docs/NASTY-MEDIA.md (or prints).
 *
 *   npx tsx scripts/nasty-media.ts --subset all --out docs/NASTY-MEDIA.md
 *   npx tsx scripts/nasty-media.ts --subset small
 *
 * Exits 1 when any cell FAILs or the `$(…)` name ran, so it can gate a run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findPwned } from './nasty-media/inputs';
import { runNastyMedia } from './nasty-media/runner';
import { subset, type SubsetName } from './nasty-media/subsets';
import { renderTable, summarize } from './nasty-media/table';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      subset: { type: 'string', default: 'small' },
      out: { type: 'string' },
      'cell-timeout': { type: 'string', default: '120' },
    },
  });
  if (values.subset !== 'all' && values.subset !== 'small') {
    console.error('--subset must be all or small');
    return 2;
  }
  const name: SubsetName = values.subset;
  const { inputs, presets } = subset(name);
  const workDir = await mkdtemp(join(tmpdir(), 'nasty-media-'));
  try {
    const result = await runNastyMedia({
      inputs,
      presets,
      workDir,
      cellTimeoutMs: Number(values['cell-timeout']) * 1000,
      onCell: (c) =>
        console.error(
          `${c.verdict.padEnd(7)} ${c.inputId} × ${c.presetId} (${c.ms} ms): ${c.text}`,
        ),
    });
    const pwned = await findPwned([workDir], [process.cwd()]);
    const ffmpegVersion =
      execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0] ?? 'ffmpeg';
    const markdown = renderTable(result.cells, inputs, presets, {
      date: new Date().toISOString().slice(0, 10),
      ffmpegVersion: ffmpegVersion.replace(/ Copyright.*$/, ''),
      command: `npx tsx scripts/nasty-media.ts --subset ${name}${values.out ? ` --out ${values.out}` : ''}`,
      pwned,
    });
    if (values.out) await writeFile(resolve(values.out), markdown);
    else process.stdout.write(markdown);
    const { ok, refused, fail } = summarize(result.cells);
    console.error(
      `${result.cells.length} cells: ${ok} ok, ${refused} refused, ${fail} FAIL; $(…) ran: ${pwned.length > 0}`,
    );
    return fail > 0 || pwned.length > 0 ? 1 : 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

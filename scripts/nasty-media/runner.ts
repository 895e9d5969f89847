/**
 * Pushes each nasty input through each chosen preset on the local engine, through the same
 * core the app and the CLI use (createAppCore over undiciFetch, the engine in this process on
 * 127.0.0.1), and records one verdict per cell:
 * - ok: the job finished and its outputs are media with the promised streams;
 * - refused: the job was refused when added or failed, with a one-line plain reason;
 * - FAIL: anything else: a hang past the cell's time limit, a reason with a stack, an errno,
 *   several lines or "RenderIO", an empty or unreadable output, a `.part` file left behind.
 * A few cells run at once (the engine's two ffmpeg slots); each has its own time limit.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createAppCore } from '../../electron/core/appCore';
import { undiciFetch } from '../../electron/core/client/undiciFetch';
import { startLocalEngine } from '../../engine/localEngine';
import { FINISHED_STAGES } from '../../shared/jobs';
import type { Preset } from '../../shared/presetTypes';
import { inputFacts, makeBaseClips, type InputFacts, type NastyInput } from './inputs';
import { outputProblem } from './outputCheck';
import { reasonProblem } from './reasonCheck';

export type Verdict = 'ok' | 'refused' | 'FAIL';

export interface Cell {
  inputId: string;
  presetId: string;
  verdict: Verdict;
  /** 'ok', the refusal as the person reads it, or what failed (with the reason it gave). */
  text: string;
  /** The files an ok cell made (empty otherwise). */
  outputs: string[];
  /** The preset that ran: the kind's default when the chosen one cannot take the file. */
  ranPresetId: string;
  ms: number;
}

export interface RunOptions {
  inputs: readonly NastyInput[];
  presets: readonly Preset[];
  /** An empty folder of the caller's: inputs, outputs and both data folders go under it. */
  workDir: string;
  /** A cell still running after this long is a hang (default 90 s). */
  cellTimeoutMs?: number;
  /** Cells in flight at once (default 2, the engine's ffmpeg slots). */
  parallel?: number;
  onCell?(cell: Cell): void;
}

export interface RunResult {
  cells: Cell[];
  facts: Record<string, InputFacts>;
  /** Each input's file, by input id. */
  paths: Record<string, string>;
}

/** Every file under `dir` whose name ends in .part (a download that was not cleaned up). */
async function partFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e.endsWith('.part'));
}

export async function runNastyMedia(options: RunOptions): Promise<RunResult> {
  const { inputs, presets, workDir, cellTimeoutMs = 90_000, parallel = 2 } = options;
  const sources = join(workDir, 'inputs');
  await mkdir(sources, { recursive: true });
  const base = await makeBaseClips(workDir);
  const paths: Record<string, string> = {};
  const facts: Record<string, InputFacts> = {};
  for (const input of inputs) {
    paths[input.id] = await input.make(sources, base);
    facts[input.id] = await inputFacts(paths[input.id] ?? '');
  }

  const { handle, link } = await startLocalEngine({
    dataDir: join(workDir, 'engine'),
    concurrency: parallel,
  });
  const core = await createAppCore({
    dataDir: join(workDir, 'core'),
    cipher: null,
    fetch: undiciFetch,
    env: {},
    localEngine: link,
    activateLocalEngine: true,
    settingsOverrides: {
      concurrency: { uploads: parallel, remote: parallel, downloads: parallel },
      cleanupRemote: true,
    },
    throttleMs: 100,
  });

  const cells: Cell[] = [];
  const record = (cell: Cell): void => {
    cells.push(cell);
    options.onCell?.(cell);
  };

  async function runCell(input: NastyInput, preset: Preset): Promise<void> {
    const started = Date.now();
    const outDir = join(workDir, 'out', input.id, preset.id);
    await mkdir(outDir, { recursive: true });
    let outputs: string[] = [];
    let ranPresetId = preset.id;
    const cell = (verdict: Verdict, text: string): Cell => ({
      inputId: input.id,
      presetId: preset.id,
      verdict,
      text,
      outputs: verdict === 'ok' ? outputs : [],
      ranPresetId,
      ms: Date.now() - started,
    });
    const finish = async (verdict: Verdict, text: string): Promise<void> => {
      const left = await partFiles(outDir);
      record(
        left.length > 0
          ? cell('FAIL', `.part left behind (${left.join(', ')}); ${text}`)
          : cell(verdict, text),
      );
    };
    const added = await core.queue.add({
      paths: [paths[input.id] ?? ''],
      presetId: preset.id,
      outputDir: outDir,
      collision: 'rename',
    });
    const rejected = added.rejected[0];
    const id = added.added[0];
    if (id === undefined) {
      const reason = rejected?.reason;
      const problem = reasonProblem(reason);
      return finish(
        problem ? 'FAIL' : 'refused',
        problem ? `${problem}: ${reason ?? ''}` : (reason ?? ''),
      );
    }
    for (;;) {
      const stage = core.queue.stageOf(id);
      if (stage !== undefined && FINISHED_STAGES.includes(stage)) break;
      if (Date.now() - started > cellTimeoutMs) {
        await core.queue.cancel(id).catch(() => undefined);
        return finish(
          'FAIL',
          `hang: still ${stage ?? 'unknown'} after ${Math.round(cellTimeoutMs / 1000)} s`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const job = core.queue.get(id);
    if (job?.stage === 'done') {
      outputs = [...job.outputPaths];
      // A preset that cannot take this kind of file gives way to the kind's default (mixed
      // drops): the output is checked against the preset that ran.
      const ran = job.settings.preset;
      ranPresetId = ran.id;
      const problem = await outputProblem(ran, facts[input.id] ?? noFacts, job.outputPaths);
      const text = ran.id === preset.id ? 'ok' : `ok (ran ${ran.id}, the default for its kind)`;
      return finish(problem ? 'FAIL' : 'ok', problem ?? text);
    }
    const reason = job?.error?.message;
    const problem = reasonProblem(reason);
    return finish(
      problem ? 'FAIL' : 'refused',
      problem ? `${problem}: ${JSON.stringify(reason ?? job?.stage ?? '')}` : (reason ?? ''),
    );
  }

  try {
    const todo = inputs.flatMap((input) => presets.map((preset) => ({ input, preset })));
    const workers = Array.from({ length: parallel }, async () => {
      for (let next = todo.shift(); next; next = todo.shift())
        await runCell(next.input, next.preset);
    });
    await Promise.all(workers);
  } finally {
    await core.close();
    await handle.close();
  }
  return { cells, facts, paths };
}

const noFacts: InputFacts = { readable: false, hasVideo: false, hasAudio: false };

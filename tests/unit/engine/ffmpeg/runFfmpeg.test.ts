/**
 * runFfmpeg with the real ffmpeg on generated 2-s clips: progress, time limit, abort, failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { prepareFfmpegArgs } from '../../../../shared/ffmpeg/argumentRules';
import { runFfmpeg } from '../../../../engine/ffmpeg/runFfmpeg';
import {
  codecOf,
  durationOf,
  makeCorrupt,
  makeVideo,
  probe,
  tempDir,
} from '../../../support/media';

let dir: { path: string; cleanup(): Promise<void> };
let video: string;

beforeAll(async () => {
  dir = await tempDir('renderio-runffmpeg-');
  video = await makeVideo(dir.path, 'in.mp4');
});
afterAll(() => dir.cleanup());

/** A real-time (-re) encode, to nowhere, of a synthetic source that lasts `seconds`. */
function realtimeArgs(seconds: number): string[] {
  return [
    '-nostdin',
    '-y',
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=160x120:rate=10:duration=${seconds}`,
    '-f',
    'null',
    '-',
  ];
}

/** A job that runs until stopped: a real-time (-re) encode of a 10-minute synthetic source. */
const endlessArgs = realtimeArgs(600);

describe('runFfmpeg', () => {
  it('runs a 2-s conversion and reports progress up to 1', async () => {
    const args = prepareFfmpegArgs(
      '-i {{in_file}} -c:v libx264 -preset ultrafast -c:a aac {{out_file}}',
      (alias) => (alias === 'in_file' ? basename(video) : 'out.mp4'),
    );
    const fractions: number[] = [];
    const result = await runFfmpeg({
      args,
      cwd: dir.path,
      durationSeconds: 2,
      onProgress: (f) => fractions.push(f),
      timeoutMs: 60_000,
    });
    expect(result).toMatchObject({ ok: true, exitCode: 0, timedOut: false, aborted: false });
    expect(result.runSeconds).toBeGreaterThan(0);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++)
      expect(fractions[i]).toBeGreaterThan(fractions[i - 1] as number);
    for (const f of fractions) expect(f).toBeGreaterThanOrEqual(0);
    const p = await probe(`${dir.path}/out.mp4`);
    expect(codecOf(p, 'video')).toBe('h264');
    expect(durationOf(p)).toBeCloseTo(2, 0);
  });

  it('reports intermediate progress on a longer job and still ends at exactly 1', async () => {
    const fractions: number[] = [];
    const result = await runFfmpeg({
      args: realtimeArgs(1.5),
      cwd: dir.path,
      durationSeconds: 1.5,
      onProgress: (f) => fractions.push(f),
    });
    expect(result.ok).toBe(true);
    expect(fractions.some((f) => f > 0 && f < 1)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
  });

  it('kills a job that runs past its time limit', async () => {
    const result = await runFfmpeg({
      args: endlessArgs,
      cwd: dir.path,
      timeoutMs: 1200,
      durationSeconds: 600,
    });
    expect(result).toMatchObject({ ok: false, timedOut: true, aborted: false });
    expect(result.runSeconds).toBeLessThan(10);
    expect(result.stderrTail).toContain('time limit');
  });

  it('stops a job when its signal aborts', async () => {
    const controller = new AbortController();
    let sawProgress = false;
    const result = await runFfmpeg({
      args: endlessArgs,
      cwd: dir.path,
      durationSeconds: 600,
      signal: controller.signal,
      onProgress: () => {
        sawProgress = true;
        controller.abort();
      },
    });
    expect(sawProgress).toBe(true);
    expect(result).toMatchObject({ ok: false, aborted: true, timedOut: false });
    expect(result.stderrTail).toContain('cancelled');
  });

  it('does not start when the signal is already aborted', async () => {
    const result = await runFfmpeg({
      args: endlessArgs,
      cwd: dir.path,
      signal: AbortSignal.abort(),
    });
    expect(result).toMatchObject({ ok: false, aborted: true, exitCode: null });
  });

  it("fails on a corrupt input with ffmpeg's reason in a bounded tail", async () => {
    const corrupt = await makeCorrupt(dir.path, 'bad.mp4');
    const result = await runFfmpeg({
      args: ['-nostdin', '-y', '-loglevel', 'debug', '-i', basename(corrupt), 'x.webm'],
      cwd: dir.path,
    });
    expect(result.ok).toBe(false);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderrTail).toContain('Invalid data');
    expect(result.stderrTail.split('\n').length).toBeLessThanOrEqual(20);
  });

  it('redacts anything key-like in the stderr tail', async () => {
    const key = `ffsk_${'ab12'.repeat(16)}`;
    const result = await runFfmpeg({
      args: ['-nostdin', '-i', `${key}.mp4`, 'out.mp4'],
      cwd: dir.path,
    });
    expect(result.ok).toBe(false);
    expect(result.stderrTail).not.toContain(key);
    expect(result.stderrTail).toContain('ffsk_[REDACTED]');
  });

  it('ends with a clear failure when ffmpeg cannot be started', async () => {
    const result = await runFfmpeg({
      args: ['-version'],
      cwd: dir.path,
      ffmpegPath: `${dir.path}/no-such-ffmpeg`,
    });
    expect(result).toMatchObject({ ok: false, exitCode: null });
    expect(result.stderrTail).toContain('could not run ffmpeg');
  });
});

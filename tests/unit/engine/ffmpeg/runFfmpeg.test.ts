/**
 * runFfmpeg with the real ffmpeg on generated 2-s clips: progress, time limit, stall limit,
 * abort, failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { prepareFfmpegArgs } from '../../../../shared/ffmpeg/argumentRules';
import { durationInWords, runFfmpeg, stalledMessage } from '../../../../engine/ffmpeg/runFfmpeg';
import {
  codecOf,
  durationOf,
  makeCorrupt,
  makeVideo,
  probe,
  tempDir,
} from '../../../support/media';
import { processesNaming } from '../../../support/processes';

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

/**
 * A FIFO nobody will ever write: ffmpeg opening it as an input blocks in open() for good, no
 * progress line ever written, as on an input that never delivers. Its name is unique, so the
 * processes reading it can be looked for afterwards.
 */
async function deadFifo(): Promise<string> {
  const path = join(dir.path, `stuck-${randomBytes(6).toString('hex')}.fifo`);
  await promisify(execFile)('mkfifo', [path]);
  return path;
}

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

  it('stops an ffmpeg that makes no progress (an input FIFO nobody writes) and leaves no process', async () => {
    const fifo = await deadFifo();
    const result = await runFfmpeg({
      args: [
        '-nostdin',
        '-y',
        '-f',
        's16le',
        '-ar',
        '48000',
        '-ac',
        '1',
        '-i',
        fifo,
        '-f',
        'null',
        '-',
      ],
      cwd: dir.path,
      timeoutMs: 60_000,
      stallMs: 1500,
    });
    expect(result).toMatchObject({ ok: false, stalled: true, timedOut: false, aborted: false });
    expect(result.stderrTail).toContain('ffmpeg made no progress for 1.5 seconds and was stopped');
    // Not before the stall limit (the start has the same allowance as any stretch), and not at
    // the time limit: after the limit and the grace between SIGTERM and SIGKILL.
    expect(result.runSeconds).toBeGreaterThanOrEqual(1.5);
    expect(result.runSeconds).toBeLessThan(10);
    expect(await processesNaming(fifo)).toEqual([]);
  });

  it('lets work that keeps moving run past the stall limit: a short encode, a real-time input', async () => {
    const args = prepareFfmpegArgs(
      '-i {{in_file}} -c:v libx264 -preset ultrafast -c:a aac {{out_file}}',
      (alias) => (alias === 'in_file' ? basename(video) : 'moving.mp4'),
    );
    const encode = await runFfmpeg({ args, cwd: dir.path, durationSeconds: 2, stallMs: 1500 });
    expect(encode).toMatchObject({ ok: true, exitCode: 0, stalled: false });
    // Three seconds of -re input, twice the stall limit: its counters move every half second.
    const realtime = await runFfmpeg({ args: realtimeArgs(3), cwd: dir.path, stallMs: 1500 });
    expect(realtime).toMatchObject({ ok: true, exitCode: 0, stalled: false });
    expect(realtime.runSeconds).toBeGreaterThan(2.5);
  });

  it('lets an ffmpeg whose counters stand still while it writes its file run on (an index moved to the front)', async () => {
    // After its last progress block, +faststart rewrites the whole MP4 without a word; no
    // real input makes that last seconds here, so a script plays that part: no progress on
    // stdout, a file in the working folder written every 0.3 s for 3 s, twice the limit.
    const script = join(dir.path, `rewrites-${randomBytes(4).toString('hex')}.sh`);
    await writeFile(
      script,
      '#!/bin/sh\nfor i in 1 2 3 4 5 6 7 8 9 10; do echo moov >> rewritten.mp4; sleep 0.3; done\n',
    );
    await chmod(script, 0o755);
    const result = await runFfmpeg({ args: [], cwd: dir.path, stallMs: 1500, ffmpegPath: script });
    expect(result).toMatchObject({ ok: true, exitCode: 0, stalled: false });
    expect(result.runSeconds).toBeGreaterThan(2.5);
  });

  it('words the stall limit for a person', () => {
    expect(durationInWords(10 * 60_000)).toBe('10 minutes');
    expect(durationInWords(60_000)).toBe('1 minute');
    expect(durationInWords(90_000)).toBe('90 seconds');
    expect(durationInWords(1500)).toBe('1.5 seconds');
    expect(durationInWords(1000)).toBe('1 second');
    expect(stalledMessage(600_000, ' (step 2 of 3)')).toBe(
      'ffmpeg (step 2 of 3) made no progress for 10 minutes and was stopped',
    );
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

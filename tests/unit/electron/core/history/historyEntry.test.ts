/**
 * A finished job as its history entry: a skipped job ("Skip the file", every output already
 * there) says it was skipped and which file was there, in the words its row used; a done job
 * that wrote its file has no reason; a failure keeps its first line, redacted.
 */
import { describe, expect, it } from 'vitest';
import { entryFromJob } from '../../../../../electron/core/history/historyEntry';
import type { Job, JobOutput } from '../../../../../shared/jobs';
import { describeJob } from '../../../../../renderer/src/lib/stageView';
import { job } from '../../../renderer/jobFixture';

const HERE = { local: true, label: 'this computer' };
const FINISHED = { startedAt: 1_000, finishedAt: 3_500 };

function kept(localName?: string, alias = 'out_audio'): JobOutput {
  return {
    alias,
    fileId: null,
    url: null,
    filename: 'remote.mp3',
    localPath: null,
    ...(localName ? { localName } : {}),
  };
}

function skipped(outputs: JobOutput[], over: Partial<Job> = {}): Job {
  return job('clip', { stage: 'done', ...FINISHED, remote: { outputs }, ...over });
}

describe('entryFromJob', () => {
  it('a job "Skip the file" finished before its upload says it was skipped and which file was there', () => {
    const entry = entryFromJob(skipped([kept('clip-mp3.mp3')]), HERE);
    expect(entry).toMatchObject({
      status: 'done',
      reason: 'clip-mp3.mp3 already exists',
      outputPaths: [],
      outputBytes: null,
      // Nothing ran: no "took 0.0 s".
      tookMs: null,
    });
  });

  it('a job whose download found its output there (a command ran) says the same, with its time', () => {
    const job = skipped([kept('clip-mp3.mp3')], {
      remote: { commandId: 'cmd-1', outputs: [kept('clip-mp3.mp3')] },
    });
    expect(entryFromJob(job, HERE)).toMatchObject({
      reason: 'clip-mp3.mp3 already exists',
      // The conversion ran: its time is told.
      tookMs: 2_500,
    });
  });

  it('several outputs, or one without its chosen name, are counted as the row counts them', () => {
    expect(entryFromJob(skipped([kept('a.jpg'), kept('a.mp3')]), HERE)?.reason).toBe(
      'its 2 outputs already exist',
    );
    expect(entryFromJob(skipped([kept()]), HERE)?.reason).toBe('its output already exists');
  });

  it('uses the words of the queue row, whatever was skipped', () => {
    for (const done of [
      skipped([kept('clip-mp3.mp3')]),
      skipped([kept('a.jpg'), kept('a.mp3')]),
      skipped([kept()]),
    ]) {
      const row = describeJob(done, FINISHED.finishedAt);
      expect(row.label).toBe('Skipped');
      expect(entryFromJob(done, HERE)?.reason).toBe(row.detail);
    }
  });

  it('a done job that wrote its file has no reason, even when another of its outputs was kept', () => {
    const wrote = job('a', {
      stage: 'done',
      ...FINISHED,
      outputPaths: ['/media/a.webm'],
      outputBytes: 42,
      remote: { outputs: [kept('a.jpg'), { ...kept('a.webm'), localPath: '/media/a.webm' }] },
    });
    expect(entryFromJob(wrote, HERE)).toMatchObject({
      reason: null,
      outputPaths: ['/media/a.webm'],
      outputBytes: 42,
    });
    expect(entryFromJob(job('b', { stage: 'done', ...FINISHED }), HERE)?.reason).toBeNull();
  });

  it('a done job whose result is worth a look keeps its warning, whole, as its reason', () => {
    const warning =
      'The result is 0:05 long, its source 0:12. The source may be damaged or cut short ' +
      '(ffmpeg converts what it can read), or its tracks end at different times.';
    const short = job('g', {
      stage: 'done',
      ...FINISHED,
      outputPaths: ['/media/g.webm'],
      warning,
    });
    expect(entryFromJob(short, HERE)).toMatchObject({
      reason: warning,
      outputPaths: ['/media/g.webm'],
    });
  });

  it('a failure keeps its first line, redacted; a cancel says so; an unfinished job has no entry', () => {
    const failed = job('c', {
      stage: 'failed',
      ...FINISHED,
      error: {
        code: 'ffmpeg',
        message: `Invalid data found (key ffsk_${'a'.repeat(40)})\nmore ffmpeg output`,
        retryable: false,
      },
    });
    const reason = entryFromJob(failed, HERE)?.reason;
    expect(reason).toMatch(/^Invalid data found/);
    expect(reason).not.toContain('ffsk_aaaa');
    expect(reason).not.toContain('more ffmpeg output');
    expect(entryFromJob(job('d', { stage: 'cancelled', ...FINISHED }), HERE)?.reason).toBe(
      'Cancelled.',
    );
    expect(entryFromJob(job('e', { stage: 'processing', ...FINISHED }), HERE)).toBeNull();
    expect(entryFromJob(job('f', { stage: 'done' }), HERE)).toBeNull();
  });
});

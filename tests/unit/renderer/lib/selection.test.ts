import { describe, expect, it } from 'vitest';
import {
  appliesTo,
  briefOf,
  countsOf,
  describeBulk,
  idsFor,
  kindsOf,
  presetsForKinds,
} from '../../../../renderer/src/lib/selection';
import type { JobBrief, JobStage } from '../../../../shared/jobs';
import type { Preset } from '../../../../shared/presetTypes';
import { job } from '../jobFixture';

function brief(id: string, stage: JobStage, extra: Partial<JobBrief> = {}): JobBrief {
  return { id, stage, resumeStage: null, mediaKind: 'video', sourceGone: false, ...extra };
}

describe('which selected jobs an action applies to', () => {
  it('follows each row: cancel what has not finished, retry failures, remove what is not running', () => {
    const briefs = [
      brief('q', 'queued'),
      brief('up', 'uploading'),
      brief('p', 'paused', { resumeStage: 'queued' }),
      brief('pp', 'paused', { resumeStage: 'processing' }),
      brief('f', 'failed'),
      brief('gone', 'failed', { sourceGone: true }),
      brief('c', 'cancelled'),
      brief('d', 'done'),
    ];
    expect(idsFor('cancel', briefs)).toEqual(['q', 'up', 'p', 'pp']);
    expect(idsFor('retry', briefs)).toEqual(['f', 'c']);
    expect(idsFor('remove', briefs)).toEqual(['q', 'p', 'pp', 'f', 'gone', 'c', 'd']);
    // Change… only before a job has started (held from queued counts as not started).
    expect(idsFor('change', briefs)).toEqual(['q', 'p']);
    expect(countsOf(briefs)).toEqual({ cancel: 4, retry: 2, remove: 7, change: 2 });
    expect(appliesTo('retry', brief('x', 'done'))).toBe(false);
  });

  it('makes a brief from a whole job, with a gone source marked', () => {
    const failed = job('a', {
      stage: 'failed',
      mediaKind: 'audio',
      error: { code: 'source-gone', message: 'moved', retryable: false },
    });
    expect(briefOf(failed)).toEqual({
      id: 'a',
      stage: 'failed',
      resumeStage: null,
      mediaKind: 'audio',
      sourceGone: true,
    });
  });
});

describe('presets Change… offers', () => {
  const preset = (id: string, accepts: Preset['accepts'], unavailable?: string): Preset => ({
    id,
    name: id.toUpperCase(),
    description: '',
    category: 'video',
    accepts,
    ffmpegCommand: '-i {{in_file}} {{out}}',
    outputs: [{ alias: 'out', extension: 'x' }],
    source: 'built-in',
    ...(unavailable ? { unavailable } : {}),
  });

  it('offers only presets that take every kind among the jobs, and says why the others are not', () => {
    const all = [
      preset('webm', ['video']),
      preset('mp3', ['video', 'audio']),
      preset('two', ['video', 'audio'], 'needs two inputs'),
    ];
    const kinds = kindsOf([brief('a', 'queued'), brief('b', 'queued', { mediaKind: 'audio' })]);
    expect(kinds).toEqual(['video', 'audio']);
    const { offered, refused } = presetsForKinds(all, kinds);
    expect(offered.map((p) => p.id)).toEqual(['mp3']);
    expect(refused.map((r) => [r.preset.id, r.reason])).toEqual([
      ['webm', 'takes video files, not audio'],
      ['two', 'needs two inputs'],
    ]);
  });
});

describe('what an action says', () => {
  it('says what was done, and why the rest was left, once per reason', () => {
    expect(describeBulk('cancel', { done: ['a', 'b', 'c'], skipped: [] })).toEqual({
      said: 'Cancelled 3 jobs.',
      notice: null,
    });
    const partly = describeBulk('retry', {
      done: ['a'],
      skipped: [
        { id: 'b', reason: 'b.mp4 has not failed or been cancelled.' },
        { id: 'c', reason: 'b.mp4 has not failed or been cancelled.' },
      ],
    });
    expect(partly.notice).toEqual({
      tone: 'warning',
      text: 'Retrying 1 job. 2 jobs were left as they were: b.mp4 has not failed or been cancelled.',
    });
    const none = describeBulk('change', {
      done: [],
      skipped: [{ id: 'a', reason: 'It started.' }],
    });
    expect(none.notice).toEqual({
      tone: 'error',
      text: '1 job was left as it was: It started.',
    });
  });
});

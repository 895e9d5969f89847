import { describe, expect, it } from 'vitest';
import { describeJob, stageLabel } from '../../../../renderer/src/lib/stageView';
import { job } from '../jobFixture';

const NOW = 1_000_000;

describe('describeJob', () => {
  it('a job waiting for the network says where it cannot reach and counts down', () => {
    const retry = {
      at: NOW + 12_000,
      since: NOW - 5000,
      attempt: 3,
      code: 'network',
      message: 'Could not reach https://renderio.dev: the connection was refused',
    };
    const onCloud = job('a', { stage: 'uploading', retry });
    onCloud.settings = { ...onCloud.settings, profileId: 'cloud-1' };
    const cloud = describeJob(onCloud, NOW);
    expect(cloud).toMatchObject({
      label: "Can't reach RenderIO",
      detail: 'retrying in 12 s',
      tone: 'held',
      showBar: false,
      valueText: "Can't reach RenderIO, retrying in 12 s",
    });
    // The fixture's jobs run on this computer (profile 'local').
    expect(
      describeJob(job('b', { stage: 'queued', retry: { ...retry, at: NOW - 1 } }), NOW),
    ).toMatchObject({
      label: "Can't reach this computer's converter",
      detail: 'retrying now…',
    });
    const server = describeJob(
      job('c', {
        stage: 'processing',
        retry: { ...retry, code: 'server', message: 'Server error 502' },
      }),
      NOW,
    );
    expect(server).toMatchObject({
      label: 'Retrying',
      detail: 'Server error 502 · retrying in 12 s',
    });
    // A finished job's leftover retry is not shown.
    expect(describeJob(job('d', { stage: 'done', retry }), NOW).label).toBe('Done');

    // This computer's converter gave up: nothing starts it on its own, so its jobs wait for it
    // (no countdown); a job on RenderIO still counts down.
    const givenUp = { converterGivenUp: true };
    expect(describeJob(job('e', { stage: 'uploading', retry }), NOW, undefined, givenUp)).toEqual({
      label: 'Waiting',
      detail: "until this computer's converter runs again",
      tone: 'held',
      showBar: false,
      fraction: null,
      valueText: "Waiting until this computer's converter runs again",
    });
    expect(describeJob(onCloud, NOW, undefined, givenUp).label).toBe("Can't reach RenderIO");
  });

  it('waiting jobs show no bar', () => {
    expect(describeJob(job('a'), NOW)).toMatchObject({ label: 'Waiting', showBar: false });
  });

  it('uploads show percent, bytes, speed and ETA', () => {
    const view = describeJob(
      job('a', {
        stage: 'uploading',
        progress: {
          fraction: 0.45,
          bytesDone: 450_000,
          bytesTotal: 1_000_000,
          speed: 2_000_000,
          etaSeconds: 12,
        },
      }),
      NOW,
    );
    expect(view).toMatchObject({
      label: 'Preparing 45%',
      fraction: 0.45,
      showBar: true,
      valueText: '45%, less than a minute left',
    });
    expect(view.detail).toBe('450 KB of 1.00 MB · 2.00 MB/s · less than a minute left');
  });

  it("the bar and the percent are the job's across its stages when main sends it", () => {
    const progress = {
      fraction: 0.5,
      bytesDone: 500_000,
      bytesTotal: 1_000_000,
      speed: null,
      etaSeconds: 150,
      overall: 0.125,
    };
    const view = describeJob(job('a', { stage: 'uploading', progress }), NOW);
    expect(view).toMatchObject({ label: 'Preparing 12%', fraction: 0.125 });
    expect(view.detail).toBe('500 KB of 1.00 MB · about 3 min left');
    // Between stages the bar stays where the job is (not back to an empty or busy bar).
    const starting = describeJob(
      job('a', { stage: 'submitted', progress: { ...progress, fraction: null, overall: 0.3 } }),
      NOW,
    );
    expect(starting).toMatchObject({
      label: 'Starting',
      fraction: 0.3,
      valueText: '30%, Starting',
    });
    const processing = describeJob(
      job('a', { stage: 'processing', progress: { ...progress, fraction: null, overall: 0.4 } }),
      NOW,
      NOW - 5_000,
    );
    expect(processing).toMatchObject({
      label: 'Processing',
      fraction: 0.4,
      detail: '0:05 elapsed',
    });
  });

  it('processing without a reported fraction is indeterminate with elapsed time', () => {
    const view = describeJob(job('a', { stage: 'processing' }), NOW, NOW - 75_000);
    expect(view).toMatchObject({
      label: 'Processing',
      fraction: null,
      detail: '1:15 elapsed',
      showBar: true,
    });
    expect(view.valueText).toBe('Processing, 1:15 elapsed');
  });

  it("a stage's clock shows from its first whole second: never '0:00 elapsed' beside a full bar", () => {
    const progress = {
      fraction: null,
      bytesDone: 0,
      bytesTotal: null,
      speed: null,
      etaSeconds: null,
      overall: 0.71,
    };
    const just = describeJob(job('a', { stage: 'processing', progress }), NOW, NOW - 400);
    expect(just).toMatchObject({ label: 'Processing', fraction: 0.71, detail: null });
    expect(just.valueText).toBe('71%, Processing');
    const second = describeJob(job('a', { stage: 'processing', progress }), NOW, NOW - 1000);
    expect(second.detail).toBe('0:01 elapsed');
    const onServer = job('a', { stage: 'stored' });
    onServer.settings = { ...onServer.settings, profileId: 'cloud-1' };
    expect(describeJob(onServer, NOW, NOW - 999).detail).toBeNull();
    expect(describeJob(onServer, NOW, NOW - 61_000).detail).toBe('waiting 1:01');
  });

  it('stored and submitted read as queued on server on RenderIO, as starting on this computer', () => {
    const cloud = (stage: 'stored' | 'submitted') => {
      const j = job('a', { stage });
      return { ...j, settings: { ...j.settings, profileId: 'cloud-1' } };
    };
    expect(describeJob(cloud('stored'), NOW).label).toBe('Queued on server');
    expect(describeJob(cloud('submitted'), NOW).label).toBe('Queued on server');
    expect(describeJob(job('a', { stage: 'stored' }), NOW).label).toBe('Starting');
    expect(describeJob(job('a', { stage: 'submitted' }), NOW).label).toBe('Starting');
    // The Details dialog's stage names follow the same rule.
    expect(stageLabel('submitted', true)).toBe('Starting');
    expect(stageLabel('stored', true)).toBe('Starting');
    expect(stageLabel('submitted')).toBe('Queued on server');
    expect(stageLabel('processing', true)).toBe('Processing');
  });

  it('on this computer the file is prepared and saved, never uploaded or downloaded', () => {
    const progress = {
      fraction: 0.5,
      bytesDone: 500_000,
      bytesTotal: 1_000_000,
      speed: null,
      etaSeconds: null,
    };
    const onCloud = (stage: 'uploading' | 'downloading') => {
      const j = job('a', { stage, progress });
      return { ...j, settings: { ...j.settings, profileId: 'cloud-1' } };
    };
    expect(describeJob(onCloud('uploading'), NOW).label).toBe('Uploading 50%');
    expect(describeJob(onCloud('downloading'), NOW).label).toBe('Downloading 50%');
    expect(describeJob(job('a', { stage: 'uploading', progress }), NOW).label).toBe(
      'Preparing 50%',
    );
    expect(describeJob(job('a', { stage: 'downloading', progress }), NOW).label).toBe('Saving 50%');
    // Details' stage times, and a paused job's "will resume".
    expect(stageLabel('uploading', true)).toBe('Preparing');
    expect(stageLabel('downloading', true)).toBe('Saving');
    expect(stageLabel('uploading')).toBe('Uploading');
    const paused = job('a', { stage: 'paused', resumeStage: 'downloading' });
    expect(describeJob(paused, NOW).detail).toBe('will resume: saving');
  });

  it('hides an ETA until a tenth is done, and "a few seconds" until nine tenths', () => {
    const at = (fraction: number, etaSeconds: number) =>
      describeJob(
        job('a', {
          stage: 'uploading',
          progress: { fraction, bytesDone: 1, bytesTotal: 10, speed: null, etaSeconds },
        }),
        NOW,
      ).detail;
    expect(at(0.05, 30)).not.toMatch(/left/);
    expect(at(0.21, 0.5)).not.toMatch(/left/);
    expect(at(0.5, 30)).toMatch(/less than a minute left/);
    expect(at(0.5, 130)).toMatch(/about 2 min left/);
    expect(at(0.95, 0.5)).toMatch(/a few seconds left/);
  });

  it('failures carry the reason', () => {
    const view = describeJob(
      job('a', {
        stage: 'failed',
        error: { code: 'ffmpeg', message: 'Invalid data found', retryable: true },
      }),
      NOW,
    );
    expect(view).toMatchObject({
      label: 'Failed',
      detail: 'Invalid data found',
      tone: 'failed',
      showBar: false,
    });
  });

  it('rate-limited jobs count down', () => {
    const view = describeJob(job('a', { stage: 'rate-limited', holdUntil: NOW + 42_000 }), NOW);
    expect(view.detail).toBe('resuming in 0:42');
  });

  it('done is done', () => {
    expect(describeJob(job('a', { stage: 'done', outputPaths: ['/o/a.webm'] }), NOW)).toMatchObject(
      { label: 'Done', tone: 'done' },
    );
  });

  it('done with nothing written says which file "Skip the file" kept', () => {
    const kept = (localName?: string) => ({
      alias: 'out_video',
      fileId: null,
      url: null,
      filename: 'a.webm',
      localPath: null,
      ...(localName ? { localName } : {}),
    });
    const one = job('a', { stage: 'done', remote: { outputs: [kept('a.webm')] } });
    expect(describeJob(one, NOW)).toMatchObject({
      label: 'Skipped',
      tone: 'done',
      detail: 'a.webm already exists',
      valueText: 'Skipped, a.webm already exists',
    });
    const two = job('b', { stage: 'done', remote: { outputs: [kept('b.jpg'), kept('b.mp3')] } });
    expect(describeJob(two, NOW).detail).toBe('its 2 outputs already exist');
    expect(describeJob(job('c', { stage: 'done' }), NOW)).toMatchObject({
      label: 'Done',
      detail: null,
    });
  });
});

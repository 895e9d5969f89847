import { describe, expect, it } from 'vitest';
import { rawOverall, timedShare } from '../../../../../electron/core/queue/jobProgress';
import { QueueState } from '../../../../../electron/core/queue/queueState';
import { StageTimes } from '../../../../../electron/core/queue/stageTimes';
import type { Clock } from '../../../../../electron/core/ports';
import type { Job } from '../../../../../shared/jobs';
import { job as makeJob } from '../../../renderer/jobFixture';

function fakeClock(): Clock & { t: number } {
  const clock = {
    t: 1_000_000,
    now: () => clock.t,
    sleep: () => Promise.resolve(),
    setTimer: () => () => undefined,
  };
  return clock as unknown as Clock & { t: number };
}

function stateWith(clock: Clock, stageTimes = new StageTimes()) {
  return new QueueState({ clock, isRunning: () => true, throttleMs: 1_000_000, stageTimes });
}

describe('stage weights (StageTimes)', () => {
  it('has defaults before any measurement: on this computer, processing is most of a job', () => {
    const w = new StageTimes().estimate('local', 10e6);
    expect(w.process).toBeGreaterThan(w.upload + w.wait + w.download);
    const cloud = new StageTimes().estimate('cloud', 10e6);
    // On RenderIO the upload of 10 MB is a real share of the job.
    expect(
      cloud.upload / (cloud.upload + cloud.wait + cloud.process + cloud.download),
    ).toBeGreaterThan(0.2);
  });

  it('learns per place and stage from finished jobs, relative to size', () => {
    const times = new StageTimes();
    const before = times.estimate('local', 4e6);
    // Uploads on this computer took ten times the guess, processing as guessed.
    for (let i = 0; i < 10; i++)
      times.record('local', 4e6, {
        uploading: before.upload * 10 * 1000,
        processing: before.process * 1000,
        downloading: before.download * 1000,
      });
    const after = times.estimate('local', 4e6);
    expect(after.upload / before.upload).toBeGreaterThan(8);
    expect(after.process / before.process).toBeCloseTo(1, 5);
    expect(after.wait).toBeCloseTo(before.wait, 5); // no sample: unchanged
    // Relative to size: a file twenty times the size takes several times as long.
    expect(times.estimate('local', 80e6).upload).toBeGreaterThan(after.upload * 3);
    // The other place is untouched.
    expect(times.estimate('cloud', 4e6)).toEqual(new StageTimes().estimate('cloud', 4e6));
    expect(times.samples('local')).toBe(10);
  });
});

describe('one bar per job', () => {
  it('weights the legs: half the upload of a job whose upload is half its time is 25 %', () => {
    const w = { upload: 10, wait: 0, process: 5, download: 5 };
    expect(rawOverall(w, 'uploading', 0.5)).toBeCloseTo(0.25);
    expect(rawOverall(w, 'submitted', null)).toBeCloseTo(0.5);
    expect(rawOverall(w, 'processing', 0.5)).toBeCloseTo(0.625);
    expect(rawOverall(w, 'downloading', 1)).toBeCloseTo(1);
    expect(rawOverall(w, 'queued', null)).toBe(0);
    expect(timedShare(60_000, 1)).toBe(0.9); // never the end of a leg by time alone
  });

  it('never goes back across stages, a download retried on its own, a pause and new weights', () => {
    const clock = fakeClock();
    const times = new StageTimes();
    const state = stateWith(clock, times);
    const job: Job = makeJob('a', { sourceSize: 5e6 });
    state.insert(job);
    const seen: number[] = [];
    const look = () => seen.push(job.progress.overall ?? 0);
    const step = (ms: number) => (clock.t += ms);

    state.setStage(job, 'uploading');
    for (let b = 0; b <= 5e6; b += 1e6) {
      step(200);
      state.reportBytes(job, b, 5e6);
      look();
    }
    state.setStage(job, 'stored');
    look();
    state.setStage(job, 'submitted');
    look();
    state.setStage(job, 'processing');
    look();
    // Measurements from other jobs arrive meanwhile: this job's weights stay as they were.
    for (let i = 0; i < 5; i++) times.record('local', 5e6, { uploading: 60_000 });
    for (const f of [0.09, 0.83, 0.5 /* a stale report */, 0.95, null]) {
      step(500);
      state.reportFraction(job, f);
      look();
    }
    state.hold(job, 'paused');
    look();
    state.release(job);
    look();
    state.setStage(job, 'downloading');
    state.reportBytes(job, 3e6, 4e6);
    look();
    // The disk filled: the download fails and is retried on its own, from 0 bytes.
    state.setStage(job, 'failed');
    look();
    state.setStage(job, 'downloading');
    state.reportBytes(job, 0, 4e6);
    look();
    state.reportBytes(job, 4e6, 4e6);
    look();
    expect(seen.every((v) => v < 1)).toBe(true);
    state.setStage(job, 'done');
    look();
    for (let i = 1; i < seen.length; i++)
      expect(seen[i], `went back at ${i}: ${seen.join(' ')}`).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.at(-1)).toBe(1);
    // The processing jump 9 % → 83 % moves the bar by the processing leg's share of 74 %, not 74 %.
    expect(seen.filter((v) => v > 0 && v < 1).length).toBeGreaterThan(8);
  });

  it('a full retry (a new attempt) starts from 0', () => {
    const clock = fakeClock();
    const state = stateWith(clock);
    const job: Job = makeJob('b');
    state.insert(job);
    state.setStage(job, 'uploading');
    state.reportBytes(job, 1e6, 1e6);
    state.setStage(job, 'processing');
    state.reportFraction(job, 0.5);
    expect(job.progress.overall).toBeGreaterThan(0.2);
    state.setStage(job, 'failed');
    job.attempts++;
    state.setStage(job, 'queued');
    expect(job.progress.overall).toBe(0);
    state.setStage(job, 'uploading');
    state.reportBytes(job, 1e5, 1e6);
    expect(job.progress.overall).toBeLessThan(0.1);
  });

  it('a restart keeps the bar where the queue file left it', () => {
    const clock = fakeClock();
    const state = stateWith(clock);
    const job: Job = makeJob('c', {
      stage: 'processing',
      progress: {
        fraction: 0.4,
        bytesDone: 0,
        bytesTotal: null,
        speed: null,
        etaSeconds: null,
        overall: 0.6,
      },
    });
    state.insert(job);
    state.reportFraction(job, 0.1);
    expect(job.progress.overall).toBe(0.6);
  });

  it('the queue: the aggregate follows the job bars, and the queue ETA appears once it means something', () => {
    const clock = fakeClock();
    const state = stateWith(clock);
    const jobs = ['q1', 'q2', 'q3'].map((id) => makeJob(id, { sourceSize: 2e6 }));
    for (const j of jobs) state.insert(j);
    const etas: (number | null)[] = [];
    const fractions: number[] = [];
    for (const j of jobs) {
      state.setStage(j, 'processing');
      for (let i = 1; i <= 10; i++) {
        clock.t += 1000;
        state.reportFraction(j, i / 10);
        const a = state.aggregate();
        etas.push(a.etaSeconds ?? null);
        fractions.push(a.fraction ?? 0);
      }
      state.setStage(j, 'downloading');
      state.setStage(j, 'done');
    }
    expect(etas.slice(0, 2).every((e) => e === null)).toBe(true);
    const shown = etas.filter((e): e is number => e !== null);
    expect(shown.length).toBeGreaterThan(15);
    // About 10 s a job: never a leap of more than a fifth between two seconds.
    for (let i = 1; i < etas.length; i++) {
      const a = etas[i - 1];
      const b = etas[i];
      if (a == null || b == null) continue;
      expect(Math.abs(b - (a - 1))).toBeLessThanOrEqual(0.2 * Math.max(a, 10));
    }
    for (let i = 1; i < fractions.length; i++)
      expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]!);
  });

  it('the queue’s time left follows its rows: no sooner than the slowest, then the last job’s own', () => {
    const clock = fakeClock();
    const state = stateWith(clock);
    const fast = makeJob('fast', { sourceSize: 2e6 });
    const slow = makeJob('slow', { sourceSize: 2e6 });
    state.insert(fast);
    state.insert(slow);
    state.setStage(fast, 'processing');
    state.setStage(slow, 'processing');
    const gaps: number[] = [];
    let last: number | null = null;
    const watch = () => {
      const queue = state.aggregate().etaSeconds ?? null;
      const own = slow.progress.etaSeconds;
      // Never a leap, whatever it follows (the rule of the queue test above).
      if (last !== null && queue !== null)
        expect(Math.abs(queue - (last - 1))).toBeLessThanOrEqual(0.2 * Math.max(last, 10));
      last = queue;
      if (queue !== null && own !== null) gaps.push((queue - own) / own);
    };
    // Side by side: the fast one does a tenth a second, the slow one a fiftieth.
    for (let i = 1; i <= 10; i++) {
      clock.t += 1000;
      state.reportFraction(fast, i / 10);
      state.reportFraction(slow, i / 50);
      watch();
    }
    state.setStage(fast, 'downloading');
    state.setStage(fast, 'done');
    const together = gaps.length;
    // Alone: the header comes to say what the row says.
    for (let i = 11; i <= 45; i++) {
      clock.t += 1000;
      state.reportFraction(slow, i / 50);
      watch();
    }
    expect(gaps.length - together).toBeGreaterThan(20);
    // Within a tenth of the row's from ten seconds alone on (the row's own is shown then).
    for (const gap of gaps.slice(together + 10)) expect(Math.abs(gap)).toBeLessThan(0.1);
  });

  it('the overall bar holds when a job fails or is cancelled (failures apart), never back', () => {
    const clock = fakeClock();
    const state = stateWith(clock);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => makeJob(id));
    for (const j of [a!, b!, c!]) state.insert(j);
    for (const j of [a!, b!, c!]) state.setStage(j, 'processing');
    state.reportFraction(a!, 0.1);
    state.reportFraction(b!, 0.9);
    state.reportFraction(c!, 0.8);
    const before = state.aggregate().share!;
    state.setStage(b!, 'failed');
    expect(state.aggregate().share).toBe(before);
    expect(state.aggregate()).toMatchObject({ failed: 1, total: 3 });
    state.setStage(c!, 'cancelled');
    expect(state.aggregate().share).toBe(before);
    state.reportFraction(a!, 0.95);
    expect(state.aggregate().share!).toBeGreaterThan(before);
    expect(state.aggregate().share!).toBeLessThan(1);
    state.setStage(a!, 'downloading');
    state.setStage(a!, 'done');
    // Nothing runs: one done of the one that could finish.
    expect(state.aggregate().share).toBe(1);
  });
});

describe("a job's time in its stage (Job.stageSince)", () => {
  it('is stamped on each stage change, and from the start of this run for a job read back', () => {
    const clock = fakeClock();
    const state = stateWith(clock);
    // Read back from the queue file, processing since a day ago: it counts from now.
    const restored = makeJob('r', { stage: 'processing', stageSince: clock.t - 86_400_000 });
    state.insert(restored);
    expect(restored.stageSince).toBe(clock.t);
    // A finished one keeps what it had (its row shows how long it took instead).
    const finished = makeJob('f', { stage: 'done', stageSince: 5 });
    state.insert(finished);
    expect(finished.stageSince).toBe(5);
    clock.t += 4_000;
    state.setStage(restored, 'downloading');
    expect(restored.stageSince).toBe(clock.t);
  });

  it('is the one clock for the stage times and the timed bar of a job read back', () => {
    const clock = fakeClock();
    const state = stateWith(clock);
    // Processing on RenderIO when the app closed; the server gives no percent.
    const restored = makeJob('p', { stage: 'processing', stageTimings: { uploading: 2_000 } });
    state.insert(restored);
    state.reportFraction(restored, null);
    const first = restored.progress.overall ?? 0;
    clock.t += 20_000;
    // The share of its expected time passed moves on from the start of this run (it stood
    // still when the queue kept a second clock that only stage changes set).
    state.reportFraction(restored, null);
    expect(restored.progress.overall).toBeGreaterThan(first);
    state.setStage(restored, 'downloading');
    // And the 20 s it processed in this run are counted, like its row's elapsed time.
    expect(restored.stageTimings).toEqual({ uploading: 2_000, processing: 20_000 });
  });
});

/** Enters each stage in turn and stays in it so long (ms). */
function walker(state: QueueState, job: Job, clock: Clock & { t: number }) {
  return (steps: [Job['stage'], number][]): void => {
    for (const [stage, ms] of steps) {
      state.setStage(job, stage);
      clock.t += ms;
    }
  };
}

/** A fresh queue holding one new job, its clock, and a walker of its stages. */
function oneJob(id: string) {
  const clock = fakeClock();
  const state = stateWith(clock);
  const job = makeJob(id);
  state.insert(job);
  return { clock, state, job, walk: walker(state, job, clock) };
}

describe('a job run again from the start', () => {
  it('counts its time taken and its stage times from the new run, not from the failed one', () => {
    const { clock, job, walk } = oneJob('r');
    const firstStart = clock.t;
    // It fails; half an hour later the person presses Retry (controls.retry: back to queued).
    walk([
      ['uploading', 3_000],
      ['processing', 20_000],
      ['failed', 30 * 60_000],
    ]);
    expect(job.finishedAt).not.toBeNull();
    walk([['queued', 500]]);
    // Queued again, it is no longer finished: the state alone says so, whoever moved it.
    expect(job.finishedAt).toBeNull();
    const secondStart = clock.t;
    walk([
      ['uploading', 2_000],
      ['processing', 10_000],
      ['downloading', 1_000],
      ['done', 0],
    ]);
    expect(job.startedAt).toBe(secondStart);
    expect(job.startedAt).not.toBe(firstStart);
    // The row's "took": 13 s, not the 31 minutes since the first try.
    expect(job.finishedAt! - job.startedAt!).toBe(13_000);
    expect(job.stageTimings).toEqual({
      queued: 500,
      uploading: 2_000,
      processing: 10_000,
      downloading: 1_000,
    });
  });
  it('a download retried on its own skips the time the job sat failed', () => {
    const { job, walk } = oneJob('d');
    // The disk was full; the person frees space and presses Retry half an hour later
    // (controls.retry: straight back to downloading, the command is not run again).
    walk([
      ['uploading', 2_000],
      ['processing', 10_000],
      ['downloading', 1_000],
      ['failed', 30 * 60_000],
      ['downloading', 1_500],
    ]);
    expect(job.finishedAt).toBeNull();
    walk([['done', 0]]);
    expect(job.finishedAt! - job.startedAt!).toBe(14_500);
    expect(job.stageTimings).toEqual({ uploading: 2_000, processing: 10_000, downloading: 2_500 });
  });
});

describe("a job's time left after a wait", () => {
  it('is measured from its work, not across the wait for a slot', () => {
    const { clock, state, job } = oneJob('w');
    state.setStage(job, 'uploading');
    for (let i = 1; i <= 4; i++) {
      clock.t += 250;
      state.reportBytes(job, i * 250_000, 1_000_000);
    }
    // Uploaded, then 5 s waiting for one of the engine's slots (the bar stands still).
    state.setStage(job, 'submitted');
    clock.t += 5_000;
    state.setStage(job, 'processing');
    // It converts at 20 % a second, with a report every quarter second.
    for (let i = 1; i <= 8; i++) {
      clock.t += 250;
      state.reportFraction(job, i * 0.05);
    }
    // 60 % of the conversion left at 20 % a second: about 3 s more, then a short download.
    expect(job.progress.etaSeconds).not.toBeNull();
    expect(job.progress.etaSeconds!).toBeLessThan(6);
  });
});

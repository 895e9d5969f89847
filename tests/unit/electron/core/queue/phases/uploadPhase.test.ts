/**
 * The upload phase's skip of a job whose outputs are all there (collision "skip"), with a fake
 * context: which jobs it may finish at once (only one whose upload has not started), and that it
 * asks nothing of the server when it does. The real engine: tests/integration/queue/startChecks.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adaptivePollPolicy } from '../../../../../../electron/core/queue/pollPolicy';
import type { JobContext } from '../../../../../../electron/core/queue/jobContext';
import { namesHeldIn } from '../../../../../../electron/core/queue/phases/outputNames';
import { uploadPhase } from '../../../../../../electron/core/queue/phases/uploadPhase';
import type { QueueClient } from '../../../../../../electron/core/queue/ports';
import type { Job, JobRemote, JobStage } from '../../../../../../shared/jobs';
import { job as fixture } from '../../../../renderer/jobFixture';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upload-phase-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every call to the server is recorded and refused: the tests see whether the job asked. */
function fakeContext(
  job: Job,
  others: Job[] = [],
  answers: Partial<Record<keyof QueueClient, () => Promise<unknown>>> = {},
) {
  const asked: string[] = [];
  const stages: JobStage[] = [];
  const refuse = (name: string) => () => {
    asked.push(name);
    return Promise.reject(new Error(`asked the server: ${name}`));
  };
  const client = new Proxy({} as QueueClient, {
    get: (_, name) => {
      const answer = answers[name as keyof QueueClient];
      return answer
        ? () => {
            asked.push(String(name));
            return answer();
          }
        : refuse(String(name));
    },
  });
  let saves = 0;
  const ctx = {
    job,
    client,
    signal: new AbortController().signal,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    pollPolicy: adaptivePollPolicy(),
    now: () => 1_000,
    save: () => {
      saves++;
      return Promise.resolve();
    },
    saveSoon() {},
    saveLater() {},
    setStage: (stage: JobStage) => {
      stages.push(stage);
      job.stage = stage;
    },
    reportBytes() {},
    reportFraction() {},
    checkpoint: () => Promise.resolve(),
    guard() {},
    sleep: () => Promise.resolve(),
    freshUrls: { has: () => false, mark() {} },
    countPoll() {},
    presetRefusal: () => null,
    refusalHere: () => null,
    hasAudio: () => Promise.resolve(true),
    namesHeld: (folder: string) => namesHeldIn([job, ...others], folder, job),
  } as unknown as JobContext;
  return { ctx, asked, stages, saves: () => saves };
}

async function clipJob(remote: JobRemote = {}, collision: Job['settings']['collision'] = 'skip') {
  const source = join(dir, 'clip.mp4');
  await writeFile(source, 'a video');
  const job = fixture('a', { sourcePath: source, sourceName: 'clip.mp4', remote });
  job.settings = { ...job.settings, collision };
  return job;
}

describe('uploadPhase: collision "skip" with every output there', () => {
  it('finishes a job that has not started its upload, asking nothing of the server', async () => {
    await writeFile(join(dir, 'clip.webm'), 'an earlier result');
    const job = await clipJob();
    const { ctx, asked, stages, saves } = fakeContext(job);
    await uploadPhase(ctx);
    expect(asked).toEqual([]);
    expect(stages).toEqual(['done']);
    expect(saves()).toBe(1);
    expect(job.remote).toEqual({
      outputs: [
        {
          alias: 'out_video',
          fileId: null,
          url: null,
          filename: 'clip.webm',
          localName: 'clip.webm',
          localPath: null,
        },
      ],
    });
    expect(job.outputPaths).toEqual([]);
  });

  it('runs on a job whose upload was sent and its answer lost, even when the server has not got it', async () => {
    // The tag saved, the server's list without it: the upload is sent again, never skipped
    // (the file may be on its way to the server under that tag).
    await writeFile(join(dir, 'clip.webm'), 'an earlier result');
    const job = await clipJob({ uploadTag: 'a0' });
    const { ctx, asked } = fakeContext(job, [], {
      listFiles: () => Promise.resolve({ files: [] }),
    });
    await expect(uploadPhase(ctx)).rejects.toThrow('asked the server: uploadFile');
    expect(asked).toEqual(['listFiles', 'uploadFile']);
    expect(job.stage).not.toBe('done');
    expect(job.remote.outputs).toBeUndefined();
  });

  it('runs when the output is not there, or under another policy', async () => {
    const missing = await clipJob();
    const first = fakeContext(missing);
    await expect(uploadPhase(first.ctx)).rejects.toThrow('asked the server: uploadFile');

    await writeFile(join(dir, 'clip.webm'), 'an earlier result');
    const renamed = await clipJob({}, 'rename');
    const second = fakeContext(renamed);
    await expect(uploadPhase(second.ctx)).rejects.toThrow('asked the server: uploadFile');
  });

  it('looks for the name the download would take: past a name another job holds', async () => {
    // clip.webm is there, but another job chose it for its output: this one's would be
    // clip (1).webm, which is not there.
    await writeFile(join(dir, 'clip.webm'), 'the other job’s result, being written');
    const job = await clipJob();
    const other = fixture('b', { sourcePath: join(dir, 'clip.mov'), sourceName: 'clip.mov' });
    other.remote.outputs = [
      { alias: 'out_video', fileId: 'x', url: 'u', filename: 'x.webm', localName: 'clip.webm' },
    ];
    const { ctx } = fakeContext(job, [other]);
    await expect(uploadPhase(ctx)).rejects.toThrow('asked the server: uploadFile');

    // Both there: skipped, under the numbered name.
    await writeFile(join(dir, 'clip (1).webm'), 'an earlier result');
    const again = await clipJob();
    const second = fakeContext(again, [other]);
    await uploadPhase(second.ctx);
    expect(second.asked).toEqual([]);
    expect(again.remote.outputs?.[0]).toMatchObject({
      localName: 'clip (1).webm',
      localPath: null,
    });
  });
});

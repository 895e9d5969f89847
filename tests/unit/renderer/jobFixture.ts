import type { Job } from '../../../shared/jobs';

/** A plain job record, as main would send it, for the renderer's pure functions. */
export function job(id: string, overrides: Partial<Job> = {}): Job {
  return {
    id,
    sourcePath: `/media/${id}.mp4`,
    sourceName: `${id}.mp4`,
    sourceSize: 1_000_000,
    mediaKind: 'video',
    settings: {
      presetId: 'webm-vp9',
      preset: {
        id: 'webm-vp9',
        name: 'MP4 → WebM',
        description: 'VP9 + Opus',
        category: 'video',
        accepts: ['video'],
        ffmpegCommand: 'ffmpeg -i {{in_file}} {{out_video}}',
        outputs: [{ alias: 'out_video', extension: 'webm' }],
        source: 'built-in',
      },
      outputDir: null,
      nameTemplate: '{name}',
      collision: 'rename',
      mirrorRoot: null,
      profileId: 'local',
    },
    stage: 'queued',
    resumeStage: null,
    holdUntil: null,
    remote: {},
    progress: { fraction: null, bytesDone: 0, bytesTotal: null, speed: null, etaSeconds: null },
    outputPaths: [],
    error: null,
    attempts: 0,
    createdAt: 0,
    startedAt: null,
    finishedAt: null,
    stageTimings: {},
    ...overrides,
  } as Job;
}

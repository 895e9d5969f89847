/**
 * The progress line's words for a running job: speeds in the decimal units the window and the
 * engine use (shared/byteSize.ts), so one transfer reads as one size everywhere.
 */
import { describe, expect, it } from 'vitest';
import { stageLabel } from '../../../cli/progressLine';
import type { JobProgress, JobStage } from '../../../shared/jobs';

function running(stage: JobStage, progress: Partial<JobProgress>) {
  return {
    stage,
    progress: {
      fraction: null,
      bytesDone: 0,
      bytesTotal: null,
      speed: null,
      etaSeconds: null,
      ...progress,
    },
  };
}

describe('stageLabel', () => {
  it('says a transfer speed in 1000s, as the window does', () => {
    // 1024-based, these read "1.2 MB/s" and "49 KB/s"; a file manager says 1.25 MB and 50 KB.
    expect(stageLabel(running('uploading', { fraction: 0.42, speed: 1_250_000 }))).toBe(
      'uploading 42% 1.25 MB/s',
    );
    expect(stageLabel(running('downloading', { speed: 50_000, etaSeconds: 2.2 }))).toBe(
      'downloading 50.0 KB/s ~3 s',
    );
    expect(stageLabel(running('uploading', { speed: 999 }))).toBe('uploading 999 B/s');
    expect(stageLabel(running('uploading', { speed: 2_000_000_000 }))).toBe('uploading 2.00 GB/s');
  });

  it('shows no speed while nothing moves, nor in a stage that transfers nothing', () => {
    expect(stageLabel(running('uploading', { fraction: 0, speed: null }))).toBe('uploading 0%');
    expect(stageLabel(running('processing', { fraction: 0.5, speed: 1_000_000 }))).toBe(
      'processing 50%',
    );
  });
});

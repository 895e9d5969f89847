/**
 * What the window is told about this computer, from the engine's state and the real
 * capabilities of the ffmpeg on this machine (Debian's 5.1 in CI) against a copy lacking an
 * encoder, as a bundled or older build would.
 */
import { describe, expect, it } from 'vitest';
import { describeLocalEngine } from '../../../../../electron/core/localEngine/localEngineStatus';
import { BUILT_IN_PRESETS } from '../../../../../shared/presets';
import { findLocalFfmpeg } from '../../../../../shared/node/ffmpeg';

describe('describeLocalEngine', () => {
  it('a ready engine: its ffmpeg, and each preset it cannot run with the reason', async () => {
    const found = await findLocalFfmpeg({});
    expect(found.available).toBe(true);
    if (!found.available) return;
    const full = describeLocalEngine({ state: 'ready', ffmpeg: found }, BUILT_IN_PRESETS);
    expect(full).toMatchObject({ state: 'ready', summary: found.summary, problem: null });
    const withoutAv1 = {
      ...found,
      capabilities: {
        ...found.capabilities,
        encoders: found.capabilities.encoders.filter((e) => e !== 'libsvtav1'),
      },
    };
    const lacking = describeLocalEngine({ state: 'ready', ffmpeg: withoutAv1 }, BUILT_IN_PRESETS);
    const av1 = BUILT_IN_PRESETS.find((p) => p.ffmpegCommand?.includes('libsvtav1'));
    expect(av1).toBeDefined();
    expect(lacking.unavailablePresets[av1!.id]).toMatch(/SVT-AV1/);
  });

  it('no ffmpeg, a restart and a failure are said in plain words', () => {
    const none = describeLocalEngine(
      {
        state: 'ready',
        ffmpeg: {
          available: false,
          problem: { message: 'No ffmpeg was found on this computer.', detail: 'ENOENT' },
          ffmpeg: null,
          ffprobe: null,
        },
      },
      BUILT_IN_PRESETS,
    );
    expect(none.problem).toBe('ffmpeg not found: No ffmpeg was found on this computer.');
    expect(none.problem).not.toMatch(/ENOENT/);
    expect(describeLocalEngine({ state: 'restarting', reason: 'It stopped.' }, []).problem).toBe(
      'It stopped.',
    );
    expect(describeLocalEngine({ state: 'starting' }, []).problem).toBeNull();
  });
});

/**
 * The choice's order of things, with the check and the engine as ports (the check itself runs
 * against real binaries in tests/integration/core/ffmpegChoice.test.ts): a refusal saves and
 * restarts nothing; a choice is saved before the engine restarts; two clicks run one after
 * the other; a restart that fails still answers with the engine's status; "Use automatic"
 * with nothing chosen restarts nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  createFfmpegChoice,
  type FfmpegCheck,
  type FfmpegChoiceOptions,
} from '../../../../../electron/core/localEngine/ffmpegChoice';
import type { LocalEngineStatus } from '../../../../../shared/localEngine';
import { createLogger } from '../../../../../shared/redact';

const CAPS = {
  version: { text: '7.1', major: 7, minor: 1 },
  license: 'GPL' as const,
  encoders: ['libvpx-vp9', 'libopus'],
  muxers: ['webm'],
  filters: [],
  filterOptions: {},
};

function works(path: string): FfmpegCheck {
  return {
    ok: true,
    ffmpeg: {
      available: true,
      ffmpeg: { path, source: 'chosen' },
      ffprobe: { path: path.replace(/ffmpeg$/, 'ffprobe'), source: 'chosen', besideFfmpeg: true },
      capabilities: CAPS,
      summary: 'ffmpeg 7.1 (chosen)',
    },
  };
}

function setup(overrides: Partial<FfmpegChoiceOptions> = {}) {
  const events: string[] = [];
  const lines: string[] = [];
  let chosen: string | null = null;
  const answers: (string | null)[] = [];
  const status: LocalEngineStatus = {
    state: 'ready',
    summary: 'ffmpeg 7.1 (chosen)',
    problem: null,
    unavailablePresets: {},
  };
  const choice = createFfmpegChoice({
    pickFfmpeg: async () => {
      events.push('dialog');
      return answers.shift() ?? null;
    },
    chosen: () => chosen,
    saveChosen: async (path) => {
      events.push(`save ${path}`);
      chosen = path;
    },
    restartEngine: async () => {
      events.push('restart');
      await new Promise((r) => setTimeout(r, 20));
      events.push('restarted');
    },
    status: () => status,
    presets: () => [],
    logger: createLogger('ffmpeg', (level, line) => void lines.push(`${level} ${line}`)),
    check: async (path) =>
      path.endsWith('/ffmpeg')
        ? works(path)
        : { ok: false, message: `${path} is not ffmpeg.`, detail: 'EACCES: permission denied' },
    ...overrides,
  });
  return { choice, events, lines, answers, chosen: () => chosen };
}

describe('createFfmpegChoice', () => {
  it('a refusal saves nothing and restarts nothing; the detail goes to the log only', async () => {
    const s = setup();
    s.answers.push('/bin/ls');
    expect(await s.choice.choose()).toEqual({
      outcome: 'refused',
      message: '/bin/ls is not ffmpeg.',
    });
    expect(s.events).toEqual(['dialog']);
    expect(s.lines).toEqual(['warn [ffmpeg] refused ffmpeg /bin/ls: EACCES: permission denied']);
  });

  it('saves the choice before the engine restarts, and says what it converts with', async () => {
    const s = setup();
    s.answers.push('/opt/my ffmpeg ü/ffmpeg');
    const result = await s.choice.choose();
    expect(s.events).toEqual(['dialog', 'save /opt/my ffmpeg ü/ffmpeg', 'restart', 'restarted']);
    expect(result).toMatchObject({
      outcome: 'applied',
      chosenFfmpeg: '/opt/my ffmpeg ü/ffmpeg',
      message: 'This computer now converts with ffmpeg 7.1 from /opt/my ffmpeg ü.',
    });
  });

  it('two clicks at once run one after the other', async () => {
    const s = setup();
    s.answers.push('/a/ffmpeg', '/b/ffmpeg');
    await Promise.all([s.choice.choose(), s.choice.choose()]);
    expect(s.events).toEqual([
      'dialog',
      'save /a/ffmpeg',
      'restart',
      'restarted',
      'dialog',
      'save /b/ffmpeg',
      'restart',
      'restarted',
    ]);
    expect(s.chosen()).toBe('/b/ffmpeg');
  });

  it('an engine that fails to restart still answers with its status, and the log says why', async () => {
    const s = setup({
      restartEngine: async () => {
        throw new Error('the converter did not start in time');
      },
    });
    s.answers.push('/c/ffmpeg');
    const result = await s.choice.choose();
    expect(result).toMatchObject({ outcome: 'applied', status: { state: 'ready' } });
    expect(s.lines.at(-1)).toMatch(/^error .*restarting the local engine.*did not start in time/);
  });

  it('"Use automatic" with nothing chosen saves and restarts nothing', async () => {
    const s = setup();
    const result = await s.choice.useAutomatic();
    expect(result).toMatchObject({ outcome: 'applied', chosenFfmpeg: null });
    expect(s.events).toEqual([]);
  });
});

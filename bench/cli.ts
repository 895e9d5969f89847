/**
 * CLI benchmark (prints ratios, asserts nothing): `renderio-convert convert clip.mp4 --preset
 * webm-vp9 --local` end to end (process start, engine start, upload, command, polling,
 * download, clean-up, exit) against the same ffmpeg arguments run directly, on a 20-second
 * 720p clip. Runs alternate; the best of each is compared (goal ≤ 1.10×).
 * Run: npx tsx bench/cli.ts [runs]
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { prepareFfmpegArgs } from '../engine/ffmpeg/prepareArgs';
import { BUILT_IN_PRESETS } from '../shared/presets';

const run = promisify(execFile);
const RUNS = Number(process.argv[2] ?? 2);
const PRESET = 'webm-vp9';
const BIN = join(import.meta.dirname, '../bin/renderio-convert.mjs');

function timed(cmd: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, RENDERIO_API_KEY: '' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve((performance.now() - started) / 1000)
        : reject(new Error(`${cmd} exited ${code}: ${stderr.slice(-500)}`)),
    );
  });
}

const dir = await mkdtemp(join(tmpdir(), 'bench-cli-'));
try {
  const clip = join(dir, 'clip.mp4');
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1280x720:rate=30:duration=20',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=20',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    clip,
  ]);
  const preset = BUILT_IN_PRESETS.find((p) => p.id === PRESET)!;
  const direct = prepareFfmpegArgs(preset.ffmpegCommand!, (alias) =>
    alias === 'in_file' ? clip : join(dir, 'direct.webm'),
  );
  console.log(
    `CLI --local vs ffmpeg directly: 20 s 720p MP4 → ${PRESET}, ${RUNS} run(s) each, alternating`,
  );
  console.log(`direct: ffmpeg -y ${direct.join(' ').replace(dir, '<tmp>')}`);
  const best = { cli: Infinity, direct: Infinity };
  for (let i = 0; i < RUNS; i++) {
    const d = await timed(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...direct],
      dir,
    );
    const c = await timed(
      process.execPath,
      [
        BIN,
        'convert',
        clip,
        '--preset',
        PRESET,
        '--local',
        '--out',
        join(dir, `out-${i}`),
        '--quiet',
      ],
      dir,
    );
    console.log(
      `run ${i + 1}: direct ${d.toFixed(2)} s, CLI ${c.toFixed(2)} s (${(c / d).toFixed(3)}×)`,
    );
    best.direct = Math.min(best.direct, d);
    best.cli = Math.min(best.cli, c);
  }
  const startup = await timed(process.execPath, [BIN, 'presets'], dir);
  console.log(
    `best: direct ${best.direct.toFixed(2)} s, CLI ${best.cli.toFixed(2)} s → CLI/direct ${(best.cli / best.direct).toFixed(3)}× (goal ≤ 1.10×)`,
  );
  console.log(`of which process start-up (\`renderio-convert presets\`): ${startup.toFixed(2)} s`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

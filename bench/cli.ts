/**
 * CLI benchmark (prints ratios, asserts nothing): `renderio-convert convert clip.mp4 --preset
 * webm-vp9 --local` end to end (process start, engine start, upload, command, polling,
 * download, clean-up, exit) against the same ffmpeg arguments run directly, on a 20-second
 * 720p clip. Runs alternate. On a shared machine wall times swing with other load, so besides
 * wall-clock ratios it prints CPU time (user + sys of the whole process tree, via /usr/bin/time)
 * and the CLI's own overhead: its wall time minus the time ffmpeg ran inside the engine in the
 * same run (goal ≤ 1.10×).
 * Run: npx tsx bench/cli.ts [runs]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareFfmpegArgs } from '../shared/ffmpeg/argumentRules';
import { BUILT_IN_PRESETS } from '../shared/presets';
import { makeVideo } from '../tests/support/media';
import { median } from './support/stats';

const RUNS = Number(process.argv[2] ?? 2);
const PRESET = 'webm-vp9';
const BIN = join(import.meta.dirname, '../bin/renderio-convert.mjs');

interface Timing {
  wall: number;
  /** User + system CPU seconds of the process and every child it waited for (ffmpeg included). */
  cpu: number;
}

/** Runs under /usr/bin/time, so CPU time (less disturbed by other load than wall time) is known too. */
function timed(cmd: string, args: string[], cwd: string): Promise<Timing> {
  const report = join(cwd, `time-${Math.random().toString(36).slice(2)}.txt`);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S', '-o', report, cmd, ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, RENDERIO_API_KEY: '' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${cmd} exited ${code}: ${stderr.slice(-500)}`));
      void readFile(report, 'utf8').then((text) => {
        const [wall = NaN, user = NaN, sys = NaN] = text
          .trim()
          .split('\n')
          .at(-1)!
          .split(' ')
          .map(Number);
        resolve({ wall, cpu: user + sys });
      }, reject);
    });
  });
}

const dir = await mkdtemp(join(tmpdir(), 'bench-cli-'));
try {
  const clip = await makeVideo(dir, 'clip.mp4', {
    seconds: 20,
    width: 1280,
    height: 720,
    fps: 30,
    x264Preset: 'veryfast',
  });
  const preset = BUILT_IN_PRESETS.find((p) => p.id === PRESET)!;
  const directArgs = prepareFfmpegArgs(preset.ffmpegCommand!, (alias) =>
    alias === 'in_file' ? clip : join(dir, 'direct.webm'),
  );
  console.log(
    `CLI --local vs ffmpeg directly: 20 s 720p MP4 → ${PRESET}, ${RUNS} run(s) each, alternating`,
  );
  console.log(
    `direct: ffmpeg ${directArgs
      .join(' ')
      .replace(/-format_whitelist \S+/, '-format_whitelist …')
      .replaceAll(dir, '<tmp>')}`,
  );
  const rows: { direct: Timing; cli: Timing; ffmpegInEngine: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const direct = await timed(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...directArgs],
      dir,
    );
    const state = join(dir, `state-${i}`);
    const cli = await timed(
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
        '--data-dir',
        state,
        '--keep-remote',
      ],
      dir,
    );
    // How long ffmpeg itself ran inside the engine, in the same run: the rest is the CLI's cost.
    const engineState = JSON.parse(await readFile(join(state, 'engine', 'state.json'), 'utf8')) as {
      commands: Record<string, { ffmpeg_command_run_seconds: number | null }>;
    };
    const ffmpegInEngine =
      Object.values(engineState.commands)[0]?.ffmpeg_command_run_seconds ?? NaN;
    rows.push({ direct, cli, ffmpegInEngine });
    console.log(
      `run ${i + 1}: direct ${direct.wall.toFixed(2)} s (cpu ${direct.cpu.toFixed(1)} s) · CLI ${cli.wall.toFixed(2)} s (cpu ${cli.cpu.toFixed(1)} s), ` +
        `ffmpeg inside the engine ${ffmpegInEngine.toFixed(2)} s → wall ${(cli.wall / direct.wall).toFixed(3)}×, cpu ${(cli.cpu / direct.cpu).toFixed(3)}×, CLI overhead ${(cli.wall - ffmpegInEngine).toFixed(2)} s`,
    );
  }
  const startup = await timed(process.execPath, [BIN, 'presets'], dir);
  const bestDirect = Math.min(...rows.map((r) => r.direct.wall));
  const bestCli = Math.min(...rows.map((r) => r.cli.wall));
  const overhead = median(rows.map((r) => r.cli.wall - r.ffmpegInEngine));
  console.log(
    `wall, best of each:     direct ${bestDirect.toFixed(2)} s, CLI ${bestCli.toFixed(2)} s → ${(bestCli / bestDirect).toFixed(3)}× (goal ≤ 1.10×)`,
  );
  console.log(
    `wall, median of pairs:  ${median(rows.map((r) => r.cli.wall / r.direct.wall)).toFixed(3)}×`,
  );
  console.log(
    `cpu, median of pairs:   ${median(rows.map((r) => r.cli.cpu / r.direct.cpu)).toFixed(3)}× (user+sys of the whole process tree)`,
  );
  console.log(
    `CLI overhead (wall − ffmpeg's own run in the engine), median: ${overhead.toFixed(2)} s → ${((bestDirect + overhead) / bestDirect).toFixed(3)}× of the best direct run`,
  );
  console.log(
    `process start-up alone (\`renderio-convert presets\`): ${startup.wall.toFixed(2)} s`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Finds the ffmpeg and ffprobe the local engine runs, in a fixed order: the path chosen in the
 * app (or `--ffmpeg`), `FFMPEG_PATH` / `FFPROBE_PATH`, the copy packaged with the app, PATH,
 * then the usual install folders (searchFolders.ts). ffprobe is looked for beside the ffmpeg
 * found first, so the two come from the same build where possible.
 *
 * Only the files are looked at here (exists, is a file, may be run); whether the file really is
 * a working ffmpeg is checkFfmpegCapabilities' question. A path someone named (chosen, env) is
 * never passed over silently for another one: if it is wrong, the result says so. Found
 * candidates that cannot be run are passed over, and named in the message if nothing else is
 * found. Nothing here throws for a bad path: problems come back as values.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { FfmpegProblem, FfmpegResolution, FoundBinary } from '../../ffmpegTypes';
import { errnoCode } from '../errnoCode';
import {
  commonFolders,
  executableName,
  installHint,
  pathFolders,
  pathModule,
  type Env,
} from './searchFolders';

export interface ResolveFfmpegOptions {
  /** The ffmpeg chosen in the app's settings or with `--ffmpeg` (a file, or its folder). */
  chosenFfmpeg?: string | null;
  chosenFfprobe?: string | null;
  /** The folder the packaged app carries ffmpeg in (process.resourcesPath/ffmpeg); none in plain Node. */
  bundledDir?: string | null;
  /** FFMPEG_PATH, FFPROBE_PATH, PATH and the Windows folders come from here. Default process.env. */
  env?: Env;
  /** Default process.platform. */
  platform?: NodeJS.Platform;
  /** Replaces the usual install folders (tests). */
  commonFolders?: string[];
}

type Tool = 'ffmpeg' | 'ffprobe';

type Inspection =
  | { kind: 'ok'; path: string }
  | { kind: 'missing' }
  | { kind: 'empty-folder' }
  | { kind: 'not-runnable'; path: string; code: string };

/** Looks at one candidate: a file, or a folder holding the tool. */
async function inspect(
  candidate: string,
  tool: Tool,
  platform: NodeJS.Platform,
): Promise<Inspection> {
  const path = pathModule(platform);
  let target = path.resolve(candidate);
  let info = await stat(target).catch(() => null);
  if (info?.isDirectory()) {
    target = path.join(target, executableName(tool, platform));
    info = await stat(target).catch(() => null);
    if (!info) return { kind: 'empty-folder' };
  }
  if (!info) return { kind: 'missing' };
  if (!info.isFile()) return { kind: 'not-runnable', path: target, code: 'not a regular file' };
  // Windows has no execute bit (X_OK is F_OK there); a wrong file shows when it is asked.
  if (platform !== 'win32') {
    try {
      await access(target, constants.X_OK);
    } catch (error) {
      return { kind: 'not-runnable', path: target, code: errnoCode(error) ?? String(error) };
    }
  }
  return { kind: 'ok', path: target };
}

const whose = (tool: Tool, how: 'chosen' | 'env'): string =>
  how === 'chosen'
    ? `The ${tool} you chose`
    : `${tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH'} names a file that`;

/** The problem with a path someone named, in one sentence. */
function namedProblem(
  tool: Tool,
  how: 'chosen' | 'env',
  named: string,
  seen: Exclude<Inspection, { kind: 'ok' }>,
): FfmpegProblem {
  if (seen.kind === 'empty-folder')
    return {
      message: `The folder ${named} has no ${tool} in it.`,
      detail: `${how}: ${named} is a folder without ${tool}`,
    };
  if (seen.kind === 'missing')
    return {
      message:
        how === 'chosen'
          ? `The ${tool} you chose was not found at ${named}.`
          : `${whose(tool, how)} does not exist: ${named}.`,
      detail: `${how}: ${named} does not exist`,
    };
  return {
    message: `${whose(tool, how)} cannot be run: ${seen.path} is not marked as a program.`,
    detail: `${how}: ${seen.path}: ${seen.code}`,
  };
}

interface Search {
  platform: NodeJS.Platform;
  env: Env;
  bundledDir: string | null;
  folders: { folder: string; source: 'path' | 'common-folder' }[];
  notes: string[];
}

/** The first runnable candidate among the discovered places, noting the ones passed over. */
async function discover(
  tool: Tool,
  search: Search,
  first: { folder: string; source: FoundBinary['source'] } | null,
): Promise<{ found: FoundBinary | null; unrunnable: string[] }> {
  const path = pathModule(search.platform);
  const places: { folder: string; source: FoundBinary['source']; beside?: boolean }[] = [];
  if (first) places.push({ ...first, beside: true });
  if (search.bundledDir) places.push({ folder: search.bundledDir, source: 'bundled' });
  places.push(...search.folders);
  const unrunnable: string[] = [];
  const tried = new Set<string>();
  for (const place of places) {
    const file = path.join(place.folder, executableName(tool, search.platform));
    if (tried.has(file)) continue;
    tried.add(file);
    const seen = await inspect(file, tool, search.platform);
    if (seen.kind === 'ok')
      return {
        found: {
          path: seen.path,
          source: place.source,
          ...(tool === 'ffprobe' && place.beside ? { besideFfmpeg: true } : {}),
        },
        unrunnable,
      };
    if (seen.kind === 'not-runnable') {
      unrunnable.push(seen.path);
      search.notes.push(`${place.source}: passed over ${seen.path} (${seen.code})`);
    }
  }
  return { found: null, unrunnable };
}

function notFound(
  tool: Tool,
  search: Search,
  unrunnable: string[],
  besideOf: string | null,
): FfmpegProblem {
  const looked = [
    ...(besideOf ? [`beside ${besideOf}`] : []),
    ...(search.bundledDir ? [search.bundledDir] : []),
    'PATH',
    ...search.folders.filter((f) => f.source === 'common-folder').map((f) => f.folder),
  ];
  const detail = `${tool} not found; looked in ${looked.join(', ')}`;
  if (unrunnable.length > 0)
    return {
      message: `${tool} was found at ${unrunnable[0]} but cannot be run: it is not marked as a program.`,
      detail,
    };
  const companion =
    tool === 'ffprobe'
      ? ' ffprobe comes with ffmpeg; a download that has only ffmpeg is not enough.'
      : '';
  return {
    message: `${tool} was not found on this computer.${companion} ${installHint(search.platform)}, or choose where it is.`,
    detail,
  };
}

async function findTool(
  tool: Tool,
  chosen: string | null | undefined,
  search: Search,
  besideOf: FoundBinary | null,
): Promise<{ found: FoundBinary } | { problem: FfmpegProblem }> {
  const envName = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  const named: { how: 'chosen' | 'env'; value: string }[] = [];
  if (chosen) named.push({ how: 'chosen', value: chosen });
  const fromEnv = search.env[envName]?.trim();
  if (fromEnv) named.push({ how: 'env', value: fromEnv });
  const first = named[0];
  if (first) {
    const seen = await inspect(first.value, tool, search.platform);
    if (seen.kind === 'ok') return { found: { path: seen.path, source: first.how } };
    return { problem: namedProblem(tool, first.how, first.value, seen) };
  }
  const path = pathModule(search.platform);
  const beside = besideOf ? { folder: path.dirname(besideOf.path), source: besideOf.source } : null;
  const { found, unrunnable } = await discover(tool, search, beside);
  if (found) return { found };
  return { problem: notFound(tool, search, unrunnable, besideOf?.path ?? null) };
}

export async function resolveFfmpeg(options: ResolveFfmpegOptions = {}): Promise<FfmpegResolution> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const fromPath = pathFolders(env, platform).map((folder) => ({
    folder,
    source: 'path' as const,
  }));
  const usual = (options.commonFolders ?? commonFolders(env, platform)).map((folder) => ({
    folder,
    source: 'common-folder' as const,
  }));
  const search: Search = {
    platform,
    env,
    bundledDir: options.bundledDir ?? null,
    folders: [...fromPath, ...usual],
    notes: [],
  };
  const ffmpeg = await findTool('ffmpeg', options.chosenFfmpeg, search, null);
  if ('problem' in ffmpeg)
    return { ok: false, problem: ffmpeg.problem, ffmpeg: null, notes: search.notes };
  const ffprobe = await findTool('ffprobe', options.chosenFfprobe, search, ffmpeg.found);
  if ('problem' in ffprobe)
    return { ok: false, problem: ffprobe.problem, ffmpeg: ffmpeg.found, notes: search.notes };
  return { ok: true, ffmpeg: ffmpeg.found, ffprobe: ffprobe.found, notes: search.notes };
}

/**
 * What a command asks of ffmpeg, read from its arguments rather than from a hand-kept list per
 * preset: the encoders after `-c:v` / `-c:a` / `-codec` / `-vcodec` ..., the muxer of each
 * output (its `-f`, else its extension), the default encoder of image outputs, and the filters
 * of `-vf` / `-af` / `-filter_complex` with the options they set by name.
 *
 * The command is read with the engine's own tokenizer and filter-graph parser (engine/ffmpeg),
 * so a preset's needs are those of the very arguments the engine will run; nothing here runs.
 */
import { extname } from 'node:path';
import { parseFilterGraph } from '../../ffmpeg/filterGraph';
import { prepareFfmpegArgs, takesNoValue } from '../../ffmpeg/argumentRules';
import type { CommandNeeds } from '../../ffmpegTypes';
import type { Preset } from '../../presetTypes';

/**
 * The muxer ffmpeg picks for an output extension (its own extension table, for the formats
 * people convert to). An extension not listed adds no need: the check cannot tell, and ffmpeg
 * will say itself.
 */
const MUXER_BY_EXTENSION: Record<string, string> = {
  mp4: 'mp4',
  m4v: 'mp4',
  m4a: 'ipod',
  mov: 'mov',
  mkv: 'matroska',
  mka: 'matroska',
  webm: 'webm',
  mp3: 'mp3',
  opus: 'opus',
  ogg: 'ogg',
  oga: 'ogg',
  wav: 'wav',
  flac: 'flac',
  aac: 'adts',
  gif: 'gif',
  webp: 'webp',
  avi: 'avi',
  ts: 'mpegts',
  jpg: 'image2',
  jpeg: 'image2',
  png: 'image2',
  bmp: 'image2',
  tif: 'image2',
  tiff: 'image2',
};

/** Encoders ffmpeg uses for an image output without `-c:v` (the muxer's default codec). */
const DEFAULT_IMAGE_ENCODER: Record<string, string> = {
  jpg: 'mjpeg',
  jpeg: 'mjpeg',
  png: 'png',
  gif: 'gif',
  bmp: 'bmp',
};

const FILTER_OPTIONS = new Set(['vf', 'af', 'filter', 'filter_complex', 'lavfi']);
const CODEC_OPTIONS = new Set(['c', 'codec', 'vcodec', 'acodec', 'scodec']);

/** `-c:v` → v, `-vcodec` → v, `-c` → all. Only what matters here: is it video. */
function streamOf(name: string, spec: string | undefined): string {
  if (name === 'vcodec') return 'v';
  if (name === 'acodec') return 'a';
  if (name === 'scodec') return 's';
  return spec ?? '';
}

interface Collected {
  encoders: Set<string>;
  muxers: Set<string>;
  filters: Set<string>;
  filterOptions: Map<string, { filter: string; option: string }>;
}

function addGraph(graph: string, into: Collected): void {
  for (const filter of parseFilterGraph(graph)) {
    const name = filter.name.trim();
    if (!name) continue;
    into.filters.add(name);
    for (const option of filter.options)
      if (option.key !== null && option.key !== 'enable')
        // `enable` is the timeline option every such filter has; ffmpeg does not list it.
        into.filterOptions.set(`${name}\u0000${option.key}`, { filter: name, option: option.key });
  }
}

/**
 * The needs of one ffmpeg argument list (as the engine runs it, or as written). Options are
 * gathered until the word they belong to: an input (`-i`) or an output file (a bare word).
 */
export function needsOfArgs(args: readonly string[]): CommandNeeds {
  const into: Collected = {
    encoders: new Set(),
    muxers: new Set(),
    filters: new Set(),
    filterOptions: new Map(),
  };
  let pending: { name: string; spec: string | undefined; value: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i] as string;
    const isOption = token.length > 1 && token.startsWith('-') && !/^-\d/.test(token);
    if (!isOption) {
      addOutput(token, pending, into);
      pending = [];
      continue;
    }
    const [name = '', spec] = token.slice(1).split(':');
    if (takesNoValue(name)) {
      pending.push({ name, spec, value: '' });
      continue;
    }
    const value = args[++i] ?? '';
    if (name === 'i') {
      pending = []; // what came before -i were input options (an input -f is a demuxer)
      continue;
    }
    if (FILTER_OPTIONS.has(name)) addGraph(value, into);
    pending.push({ name, spec, value });
  }
  return {
    encoders: [...into.encoders].sort(),
    muxers: [...into.muxers].sort(),
    filters: [...into.filters].sort(),
    filterOptions: [...into.filterOptions.values()],
  };
}

function addOutput(
  file: string,
  options: { name: string; spec: string | undefined; value: string }[],
  into: Collected,
): void {
  let videoCodecSet = false;
  let noVideo = false;
  let format: string | null = null;
  for (const o of options) {
    if (CODEC_OPTIONS.has(o.name)) {
      const stream = streamOf(o.name, o.spec);
      if (stream === '' || stream.startsWith('v')) videoCodecSet = true;
      if (o.value !== 'copy' && o.value !== '') into.encoders.add(o.value);
    } else if (o.name === 'f') {
      format = o.value;
    } else if (o.name === 'vn') {
      noVideo = true;
    }
  }
  const extension = extname(file).slice(1).toLowerCase();
  const muxer = format ?? MUXER_BY_EXTENSION[extension];
  if (muxer) into.muxers.add(muxer);
  const imageEncoder = DEFAULT_IMAGE_ENCODER[extension];
  if (imageEncoder && !videoCodecSet && !noVideo && format === null)
    into.encoders.add(imageEncoder);
}

/**
 * A preset's needs: every step of its command, with placeholders standing for files of the
 * extensions the preset declares. null when the command is not one the engine would run (its
 * safety check says why elsewhere).
 */
export function presetNeeds(
  preset: Pick<Preset, 'ffmpegCommand' | 'ffmpegCommands' | 'outputs'>,
): CommandNeeds | null {
  const steps = preset.ffmpegCommands ?? (preset.ffmpegCommand ? [preset.ffmpegCommand] : []);
  const extensions = new Map(preset.outputs.map((o) => [o.alias, o.extension]));
  const resolve = (alias: string): string => {
    const extension = extensions.get(alias);
    return extension === undefined ? `./inputs/${alias}` : `./${alias}.${extension}`;
  };
  const all: CommandNeeds = { encoders: [], muxers: [], filters: [], filterOptions: [] };
  try {
    for (const step of steps) {
      const needs = needsOfArgs(prepareFfmpegArgs(step, resolve));
      all.encoders.push(...needs.encoders);
      all.muxers.push(...needs.muxers);
      all.filters.push(...needs.filters);
      all.filterOptions.push(...needs.filterOptions);
    }
  } catch {
    return null;
  }
  const unique = (list: string[]) => [...new Set(list)].sort();
  const seen = new Set<string>();
  return {
    encoders: unique(all.encoders),
    muxers: unique(all.muxers),
    filters: unique(all.filters),
    filterOptions: all.filterOptions.filter((f) => {
      const key = `${f.filter}\u0000${f.option}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  };
}

/** The filters whose option names the capability check should read for these presets. */
export function filtersToDescribe(presets: readonly Preset[]): string[] {
  const names = new Set<string>();
  for (const preset of presets)
    for (const f of presetNeeds(preset)?.filterOptions ?? []) names.add(f.filter);
  return [...names].sort();
}

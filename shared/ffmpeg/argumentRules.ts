/**
 * Turns a RenderIO command template (user-written text with {{alias}} placeholders) into the
 * argument array the engine passes to ffmpeg, refusing anything that would let the command
 * reach outside its own work directory or the network.
 *
 * Trust model: the template text is untrusted; the paths `resolve` returns for placeholders
 * are the engine's own and trusted. So every check runs on the template with placeholders
 * masked, and only then are the resolved paths put in.
 *
 * Shell syntax (`; rm -rf ~`, `$(...)`, backticks, pipes, redirections, `$VAR`) is refused,
 * not passed on as literal arguments: nothing is ever executed either way (no shell runs),
 * but a clear 422 is more useful than ffmpeg failing on an output file called `;`.
 */
import { stripLeadingFfmpeg } from '../commandTemplate';
import { parseFilterGraph } from './filterGraph';
import { MARK_CLOSE, MARK_OPEN, PlaceholderMask } from './placeholderMask';
import { TokenizeError, tokenize } from './tokenize';

export class UnsafeCommandError extends Error {
  override name = 'UnsafeCommandError';
}

/** Added in front of every command: no stdin, no banner, overwrite (the directory is fresh). */
export const BASE_ARGS = ['-nostdin', '-hide_banner', '-y'] as const;
const MAX_TEMPLATE_CHARS = 100_000;

/** Every protocol ffmpeg 5.1 knows (ffmpeg -protocols) and a few more from newer builds. */
const PROTOCOLS = (
  'async bluray cache concat concatf crypto data fd ffrtmpcrypt ffrtmphttp file ftp ' +
  'gopher gophers hls http httpproxy https icecast ipfs ipns md5 mmsh mmst pipe ' +
  'prompeg rtmp rtmpe rtmps rtmpt rtmpte rtmpts rtp rtsp sctp srtp subfile tcp tee ' +
  'tls udp udplite unix amqp rist srt sftp smb zmq librtmp libsmbclient libssh ' +
  'android_content dtls'
).split(' ');
const PROTOCOL_PREFIX = new RegExp(`(?:^|[=:,;|'"\\[\\]])(${PROTOCOLS.join('|')})[:,]`, 'i');

/** Every capture and playback device (ffmpeg -devices, plus other platforms' names). */
const DEVICES =
  'alsa caca fbdev iec61883 jack kmsgrab libcdio libdc1394 openal opengl oss pulse sdl sdl2 ' +
  'video4linux2 v4l2 x11grab xcbgrab xv sndio dshow gdigrab vfwcap avfoundation decklink ' +
  'android_camera audiotoolbox';
/**
 * Demuxers that read other files, the network or a filter graph by themselves, so the
 * command would no longer touch only its declared inputs.
 */
const REFUSED_INPUT_FORMATS = new Set(
  `lavfi concat hls applehttp dash rtsp rtp sdp sap srtp ${DEVICES}`.split(' '),
);
/** Muxers that write elsewhere than the named output (HLS and DASH write next to it: fine). */
const REFUSED_OUTPUT_FORMATS = new Set(`tee rtp rtp_mpegts rtsp sap srtp ${DEVICES}`.split(' '));

/**
 * Every demuxer of ffmpeg 5.1 (ffmpeg -demuxers) except the refused ones and IMF (which opens
 * the assets its CPL names). Given to each input as `-format_whitelist`, because `-f` is not
 * the only way to pick a demuxer: a work-dir file that merely *contains* an HLS playlist (an
 * earlier chained step can write raw bytes with `-f u8`) would be probed as HLS and read the
 * absolute paths inside it. A demuxer missing here (a newer build's) fails closed.
 */
const DEMUXERS =
  '3dostr 4xm aa aac aax ac3 ace acm act adf adp ads adx aea afc aiff aix alaw alias_pix alp ' +
  'amr amrnb amrwb anm apc ape apm apng aptx aptx_hd aqtitle argo_asf argo_brp argo_cvg asf ' +
  'asf_o ass ast au av1 avi avr avs avs2 avs3 bethsoftvid bfi bfstm bin bink binka bit ' +
  'bitpacked bmp_pipe bmv boa brender_pix brstm c93 caf cavsvideo cdg cdxl cine codec2 ' +
  'codec2raw cri_pipe data daud dcstr dds_pipe derf dfa dfpwm dhav dirac dnxhd dpx_pipe dsf ' +
  'dsicin dss dts dtshd dv dvbsub dvbtxt dxa ea ea_cdata eac3 epaf exr_pipe f32be f32le f64be ' +
  'f64le ffmetadata film_cpk filmstrip fits flac flic flv frm fsb fwse g722 g723_1 g726 g726le ' +
  'g729 gdv gem_pipe genh gif gif_pipe gsm gxf h261 h263 h264 hca hcom hevc hnm ico idcin idf ' +
  'iff ifv ilbc image2 image2pipe ingenient ipmovie ipu ircam iss iv8 ivf ivr j2k_pipe jacosub ' +
  'jpeg_pipe jpegls_pipe jpegxl_pipe jv kux kvag libgme libopenmpt live_flv lmlm4 loas lrc ' +
  'luodat lvf lxf m4v matroska webm mca mcc mgsts microdvd mjpeg mjpeg_2000 mlp mlv mm mmf mods ' +
  'moflex mov mp4 m4a 3gp 3g2 mj2 mp3 mpc mpc8 mpeg mpegts mpegtsraw mpegvideo mpjpeg mpl2 ' +
  'mpsub msf msnwctcp msp mtaf mtv mulaw musx mv mvi mxf mxg nc nistsphere nsp nsv nut nuv obu ' +
  'ogg oma paf pam_pipe pbm_pipe pcx_pipe pfm_pipe pgm_pipe pgmyuv_pipe pgx_pipe phm_pipe ' +
  'photocd_pipe pictor_pipe pjs pmp png_pipe pp_bnk ppm_pipe psd_pipe psxstr pva pvf qcp ' +
  'qdraw_pipe qoi_pipe r3d rawvideo realtext redspark rl2 rm roq rpl rsd rso s16be s16le s24be ' +
  's24le s32be s32le s337m s8 sami sbc sbg scc scd sdr2 sds sdx ser sga sgi_pipe shn siff ' +
  'simbiosis_imx sln smjpeg smk smush sol sox spdif srt stl subviewer subviewer1 sunrast_pipe ' +
  'sup svag svg_pipe svs swf tak tedcaptions thp tiertexseq tiff_pipe tmv truehd tta tty txd ty ' +
  'u16be u16le u24be u24le u32be u32le u8 v210 v210x vag vbn_pipe vc1 vc1test vidc vividas vivo ' +
  'vmd vobsub voc vpk vplayer vqf w64 wav wc3movie webm_dash_manifest webp_pipe webvtt wsaud ' +
  'wsd wsvqa wtv wv wve xa xbin xbm_pipe xmv xpm_pipe xvag xwd_pipe xwma yop yuv4mpegpipe';
export const INPUT_FORMAT_WHITELIST = DEMUXERS.split(' ')
  .filter((name) => !REFUSED_INPUT_FORMATS.has(name))
  .join(',');

/** Filters that open files, load code or open sockets whatever their arguments. */
const REFUSED_FILTERS: Record<string, string> = {
  movie: 'reads another file',
  amovie: 'reads another file',
  sendcmd: 'reads commands from a file',
  asendcmd: 'reads commands from a file',
  zmq: 'opens a network socket',
  azmq: 'opens a network socket',
  frei0r: 'loads a plugin library',
  frei0r_src: 'loads a plugin library',
  ladspa: 'loads a plugin library',
  lv2: 'loads a plugin library',
  program_opencl: 'loads a kernel from a file',
  openclsrc: 'loads a kernel from a file',
};

/**
 * Filters whose named options (or first positional option, `0`) are file names: those may
 * only name a placeholder or a plain file in the work directory.
 */
const FILE_OPTIONS: Record<string, (string | number)[]> = {
  subtitles: [0, 'filename', 'f', 'fontsdir'],
  ass: [0, 'filename', 'f', 'fontsdir'],
  drawtext: ['fontfile', 'textfile'],
  lut3d: [0, 'file'],
  lut1d: [0, 'file'],
  removelogo: [0, 'filename', 'f'],
  vidstabdetect: ['result'],
  vidstabtransform: ['input'],
  psnr: ['stats_file', 'f'],
  ssim: ['stats_file', 'f'],
  libvmaf: ['model_path', 'log_path', 'model'],
  metadata: ['file'],
  ametadata: ['file'],
  arnndn: [0, 'model', 'm'],
  sofalizer: [0, 'sofa'],
  lensfun: ['db_path'],
  cover_rect: [0, 'cover'],
  find_rect: [0, 'object'],
  dnn_processing: ['model'],
  dnn_classify: ['model', 'labels'],
  dnn_detect: ['model', 'labels'],
  sr: ['model'],
  derain: ['model'],
  ocr: ['datapath'],
  signature: ['filename'],
  libplacebo: ['custom_shader_path'],
};

/** Options that are refused whatever their value, with the reason. */
const REFUSED_OPTIONS: Record<string, string> = {
  progress: 'is set by the engine itself',
  // Spaced out past the engine's stall limit, its progress would read as a hung ffmpeg.
  stats_period: 'paces the progress the engine watches',
  filter_script: 'reads a filter graph from a file; write the filter inline instead',
  filter_complex_script: 'reads a filter graph from a file; write the filter inline instead',
  pre: 'reads options from a preset file',
  fpre: 'reads options from a preset file',
  vpre: 'reads options from a preset file',
  apre: 'reads options from a preset file',
  spre: 'reads options from a preset file',
  dump_attachment: 'writes files named by the input',
  protocol_whitelist: 'is set by the engine itself',
  protocol_blacklist: 'is set by the engine itself',
  safe: 'only matters for the concat demuxer, which is not allowed',
  init_hw_device: 'opens a hardware device',
  vaapi_device: 'opens a hardware device',
  qsv_device: 'opens a hardware device',
  hwaccel_device: 'opens a hardware device',
  sources: 'lists capture devices',
  sinks: 'lists playback devices',
  timelimit: 'is set by the engine itself',
  // The key info file names a key file (any path or URL) that the HLS muxer then opens.
  hls_key_info_file: 'reads a key file named inside another file; use -hls_enc instead',
  // MOV/MP4 data references open files named inside the input, relative to its parent folders.
  enable_drefs: 'opens files named inside the input',
  use_absolute_path: 'opens files named inside the input',
  format_whitelist: 'is set by the engine itself',
};

/** Options whose value is a file the command reads or writes. */
const FILE_VALUE_OPTIONS = new Set(['i', 'attach', 'passlogfile', 'vstats_file', 'sdp_file']);
/** Options whose value is a filter graph. */
const FILTER_OPTIONS = new Set(['vf', 'af', 'filter', 'filter_complex', 'lavfi']);
/** Options whose value is free text that never names a file. */
const TEXT_OPTIONS = new Set(['metadata', 'program', 'timecode']);

/**
 * ffmpeg 5.1 options that take no value (OPT_BOOL and friends). Any other option is assumed
 * to take one; a wrong guess only makes a file name go through the (stricter-than-needed for
 * values) checks of option values, never fewer checks.
 */
const NO_VALUE_OPTIONS = new Set(
  (
    'y n stats hide_banner benchmark benchmark_all stdin dump hex copyts ' +
    'start_at_zero xerror debug_ts psnr vstats qphist accurate_seek re shortest ' +
    'bitexact copyinkf find_stream_info autorotate autoscale vn an sn dn ' +
    'force_fps fix_sub_duration recast_media auto_conversion_filters ignore_unknown ' +
    'copy_unknown report version buildconf formats muxers demuxers devices codecs ' +
    'decoders encoders bsfs protocols filters pix_fmts layouts sample_fmts ' +
    'dispositions colors hwaccels L intra deinterlace'
  ).split(' '),
);

export function takesNoValue(name: string): boolean {
  if (NO_VALUE_OPTIONS.has(name)) return true;
  return name.startsWith('no') && NO_VALUE_OPTIONS.has(name.slice(2));
}

function refuse(message: string): never {
  throw new UnsafeCommandError(message);
}

/**
 * Checks for any option value or filter option value (masked text). Encoder parameter lists
 * (`-x264-params stats=\/tmp/x`, `stats= /tmp/x`) are split with av_get_token, which drops a
 * backslash before any character and the white space before a value, so the text is checked
 * both as written and as av_get_token would read it.
 */
function checkValue(masked: string, shown: string, where: string): void {
  checkValueText(masked, shown, where);
  const asToken = masked.replace(/\\([^])/g, '$1').replace(/(^|[=:,;|'"[\]])\s+/g, '$1');
  if (asToken !== masked) checkValueText(asToken, shown, where);
}

function checkValueText(masked: string, shown: string, where: string): void {
  const protocol = PROTOCOL_PREFIX.exec(masked);
  if (protocol)
    refuse(
      `${where} ${shown} uses the "${protocol[1]}:" protocol; inputs must be declared in input_files`,
    );
  // Values start at the start of the token or after one of `= : , ; | ' " [ ]`; a slash after
  // a space is text (`drawtext=text='1 / 2'`), not a path.
  if (/(?:^|[=:,;|'"[\]])(?:\/|\\\\)/.test(masked) || /^\\/.test(masked))
    refuse(`${where} ${shown} contains an absolute path; only the command's own files may be used`);
  if (/(?:^|[=:,;|'"[\]])[A-Za-z]:[\\/]/.test(masked))
    refuse(`${where} ${shown} contains an absolute path; only the command's own files may be used`);
  if (/(?:^|[\\/=:,;|'"[\]])\.\.(?:$|[\\/:,;|'"[\]])/.test(masked))
    refuse(`${where} ${shown} contains ".."; only the command's own files may be used`);
  if (/(?:^|[=:,;|'"[\]])~(?:$|[\\/:,;|'"[\]])/.test(masked) || /^~/.test(masked))
    refuse(
      `${where} ${shown} refers to a home directory ("~"); only the command's own files may be used`,
    );
}

/** Checks for a value that is a file name: a placeholder or a plain file in the work dir. */
function checkFileName(
  masked: string,
  shown: string,
  where: string,
  placeholders: PlaceholderMask,
): void {
  checkValue(masked, shown, where);
  if (masked.trim() === '') refuse(`${where} is an empty file name`);
  if (masked.includes(':') || /^subfile,/i.test(masked))
    refuse(
      `${where} ${shown} looks like a protocol or device ("name:"); inputs must be declared in input_files and outputs in output_files`,
    );
  if (/[\\/]/.test(placeholders.withoutPlaceholders(masked)))
    refuse(
      `${where} ${shown} must be a plain file name in the command's folder, without directories`,
    );
}

/**
 * Filters that open their file with libavformat's probing (`subtitles`) or libass (`ass`),
 * and the options that name it: positional option 1, `filename`, `f`. The `-format_whitelist`
 * of inputs does not reach them, so the engine checks the file itself before each step that
 * reads it (subtitleFiles.ts).
 */
const SUBTITLE_FILTERS = new Set(['subtitles', 'ass']);
const SUBTITLE_FILE_KEYS: readonly (string | number)[] = [0, 'filename', 'f'];

/**
 * What a `subtitles`/`ass` file may be called: a subtitle format ffmpeg reads, or a container
 * with subtitle streams (`subtitles=video.mkv:si=0`). Probing goes by content but also weighs
 * the extension, which alone decides for demuxers without a probe function (avisynth's `.avs`
 * runs a script, in builds that have it); a list of known names keeps out those and the list
 * formats' own names (`.m3u8`, `.mpd`, `.sdp`).
 */
const SUBTITLE_FILE_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    'srt ass ssa vtt sub txt lrc smi sami rt jss js pjs mpl aqt stl scc sup idx ' +
    'mkv mks mka webm mp4 m4v mov 3gp ts m2ts mts mpg mpeg vob ogg ogv ogm avi nut mxf'
  ).split(' '),
);

/** Why `name` cannot be the file of a `subtitles`/`ass` filter (its extension), or null. */
export function describeSubtitleFileNameProblem(name: string): string | null {
  const ext = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase();
  if (ext !== undefined && SUBTITLE_FILE_EXTENSIONS.has(ext)) return null;
  return (
    `must be a subtitle file (.srt, .ass, .ssa, .vtt, .sub, .txt, .lrc, ...) or a video with ` +
    `subtitle streams (.mkv, .mp4, .mov, ...), not ${ext === undefined ? 'a file without an extension' : `".${ext}"`}`
  );
}

/** Filter options that hold free text, not file names (`drawtext=text='see https://x'`). */
const TEXT_FILTER_OPTIONS: Record<string, string[]> = { drawtext: ['text'] };
const REFUSED_FILTER_NAME = new RegExp(
  `(?:^|[,;\\]])\\s*(${Object.keys(REFUSED_FILTERS).join('|')})(?:@\\w+)?\\s*(?:$|[=,;[])`,
  'i',
);

function checkFilterGraph(masked: string, option: string, placeholders: PlaceholderMask): void {
  for (const filter of parseFilterGraph(masked)) {
    const name = filter.name.toLowerCase();
    const reason = REFUSED_FILTERS[name];
    if (reason) refuse(`the "${filter.name}" filter in -${option} ${reason}, which is not allowed`);
    const fileKeys = FILE_OPTIONS[name] ?? [];
    const textKeys = TEXT_FILTER_OPTIONS[name] ?? [];
    filter.options.forEach((o, index) => {
      if (o.key !== null && textKeys.includes(o.key)) return;
      const where = `option ${o.key ?? `#${index + 1}`} of the "${filter.name}" filter in -${option}`;
      const shownValue = placeholders.quote(o.value);
      if (isOneOf(fileKeys, o.key, index)) checkFileName(o.value, shownValue, where, placeholders);
      else checkValue(o.value, shownValue, where);
      // A name with a placeholder is checked at run time, on the resolved path.
      if (isSubtitleFileOption(name, o.key, index) && !placeholders.holdsPlaceholder(o.value)) {
        const problem = describeSubtitleFileNameProblem(o.value);
        if (problem) refuse(`${where} ${shownValue} ${problem}`);
      }
    });
  }
  // The parse above follows libavfilter; this coarse look at the text without quotes and
  // escapes is a second net for refused filters, should the two ever read a graph differently.
  const coarse = REFUSED_FILTER_NAME.exec(masked.replace(/['\\]/g, ''));
  if (coarse)
    refuse(
      `the "${coarse[1]}" filter in -${option} ${REFUSED_FILTERS[(coarse[1] ?? '').toLowerCase()] ?? 'is refused'}, which is not allowed`,
    );
}

/**
 * Whether a filter option is one of `keys`: named (`key`), or given by position (`key` null),
 * where only the first counts, listed as 0.
 */
function isOneOf(keys: readonly (string | number)[], key: string | null, index: number): boolean {
  return key === null ? index === 0 && keys.includes(0) : keys.includes(key);
}

function isSubtitleFileOption(filter: string, key: string | null, index: number): boolean {
  return SUBTITLE_FILTERS.has(filter.toLowerCase()) && isOneOf(SUBTITLE_FILE_KEYS, key, index);
}

/** A file a `subtitles`/`ass` filter of the command opens, as ffmpeg will read its name. */
export interface SubtitleFileUse {
  filter: string;
  /** The path as it stands in the final arguments (relative to the work dir, or absolute). */
  path: string;
}

export interface PreparedCommand {
  args: string[];
  /** Files the step's `subtitles`/`ass` filters open: check them right before it runs. */
  subtitleFiles: SubtitleFileUse[];
}

/**
 * Validates and expands a command template. `resolve(alias)` gives the path of a declared
 * file inside the command's work dir. Throws UnsafeCommandError with a message fit for a 422.
 */
export function prepareFfmpegArgs(template: string, resolve: (alias: string) => string): string[] {
  return prepareFfmpegCommand(template, resolve).args;
}

/**
 * prepareFfmpegArgs, plus the files the command's `subtitles`/`ass` filters will open. Those
 * are read from the final arguments (placeholders resolved), parsed the way libavfilter
 * parses them, so the names are the ones ffmpeg will open.
 */
export function prepareFfmpegCommand(
  template: string,
  resolve: (alias: string) => string,
): PreparedCommand {
  if (typeof template !== 'string') refuse('the command must be a string');
  if (template.length > MAX_TEMPLATE_CHARS)
    refuse(`the command is longer than ${MAX_TEMPLATE_CHARS} characters`);
  if (template.includes(MARK_OPEN) || template.includes(MARK_CLOSE))
    refuse('the command contains a reserved character (U+E000/U+E001)');

  const placeholders = new PlaceholderMask(stripLeadingFfmpeg(template));
  let tokens: string[];
  try {
    tokens = tokenize(placeholders.marked);
  } catch (error) {
    if (error instanceof TokenizeError) refuse(error.message);
    throw error;
  }
  if (tokens.length === 0) refuse('the command is empty');

  const mask = (token: string): string => placeholders.mask(token);
  const show = (token: string): string => placeholders.quote(token);
  const out: string[] = [...BASE_ARGS];
  /** Where in `out` the filter graph values are. */
  const graphs: number[] = [];
  let pendingFormat: string | null = null;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const masked = mask(token);
    const isOption = token.length > 1 && token.startsWith('-') && !/^-\d/.test(token);

    if (!isOption) {
      // A bare word is an output file (ffmpeg's own rule).
      if (pendingFormat !== null && REFUSED_OUTPUT_FORMATS.has(pendingFormat))
        refuse(
          `-f ${pendingFormat} writes to other files, devices or the network, which is not allowed`,
        );
      if (token === '-') {
        if (pendingFormat !== 'null')
          refuse('writing to standard output ("-") is only allowed with -f null');
      } else {
        checkFileName(masked, show(token), 'output file', placeholders);
      }
      pendingFormat = null;
      out.push(token);
      continue;
    }

    const fullName = token.slice(1);
    // ffmpeg reads the word after `--` as an output file whatever it looks like, which would
    // skip the output checks below.
    if (fullName === '-') refuse('"--" is not allowed; write output file names directly');
    if (fullName.includes(MARK_OPEN))
      refuse(`${show(token)}: a placeholder cannot be part of an option name`);
    if (/[^A-Za-z0-9_:.+-]/.test(mask(fullName)))
      refuse(`${show(token)} is not a valid option name`);
    const name = fullName.split(':')[0] as string;
    const refusedBecause = REFUSED_OPTIONS[name];
    if (refusedBecause) refuse(`option -${name} ${refusedBecause}, so it is not allowed`);
    if (takesNoValue(name)) {
      out.push(token);
      continue;
    }
    const value = tokens[i + 1];
    if (value === undefined) refuse(`option -${name} needs a value`);
    i++;
    const maskedValue = mask(value);
    const shownValue = show(value);
    const where = `the value of -${name}`;

    if (name === 'f') {
      const format = maskedValue.trim().toLowerCase();
      if (REFUSED_INPUT_FORMATS.has(format) && REFUSED_OUTPUT_FORMATS.has(format))
        refuse(`-f ${format} is a device or network format, which is not allowed`);
      checkValue(maskedValue, shownValue, where);
      pendingFormat = format;
    } else if (name === 'fifo_format' || name === 'segment_format') {
      // The fifo and segment muxers wrap another muxer named here, so the -f rules apply.
      const inner = maskedValue.trim().toLowerCase();
      if (REFUSED_OUTPUT_FORMATS.has(inner))
        refuse(
          `-${name} ${inner} writes to other files, devices or the network, which is not allowed`,
        );
      checkValue(maskedValue, shownValue, where);
    } else if (name === 'i') {
      if (pendingFormat !== null && REFUSED_INPUT_FORMATS.has(pendingFormat))
        refuse(
          `-f ${pendingFormat} reads other files, devices or the network, which is not allowed`,
        );
      if (value === '-') refuse('reading standard input ("-i -") is not allowed');
      checkFileName(maskedValue, shownValue, 'input file', placeholders);
      // Nested opens (references inside the container) stay on local files, and the demuxer
      // is never one that opens the paths a file lists (see INPUT_FORMAT_WHITELIST).
      out.push('-protocol_whitelist', 'file', '-format_whitelist', INPUT_FORMAT_WHITELIST);
      pendingFormat = null;
    } else if (FILE_VALUE_OPTIONS.has(name)) {
      checkFileName(maskedValue, shownValue, where, placeholders);
    } else if (FILTER_OPTIONS.has(name)) {
      checkFilterGraph(maskedValue, name, placeholders);
      graphs.push(out.length + 1);
    } else if (!TEXT_OPTIONS.has(name)) {
      checkValue(maskedValue, shownValue, where);
    }
    out.push(token, value);
  }

  const args = out.map((arg) =>
    placeholders.resolve(arg, (alias) => {
      try {
        return resolve(alias);
      } catch (error) {
        if (error instanceof UnsafeCommandError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        return refuse(`placeholder for "${alias}" cannot be used: ${reason}`);
      }
    }),
  );

  const subtitleFiles: SubtitleFileUse[] = [];
  for (const at of graphs) {
    for (const filter of parseFilterGraph(args[at] ?? '')) {
      filter.options.forEach((o, index) => {
        if (isSubtitleFileOption(filter.name, o.key, index))
          subtitleFiles.push({ filter: filter.name.toLowerCase(), path: o.value });
      });
    }
  }
  return { args, subtitleFiles };
}

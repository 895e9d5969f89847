/**
 * What the app knows of the ffmpeg that runs jobs on "this computer": where it was found, what
 * it can do, and whether a preset can run on it. Platform-free, so the IPC contract and the
 * window can carry these values; the code that finds and asks ffmpeg is in shared/node/ffmpeg.
 */

/**
 * Where a binary came from, in the order they are tried: the path chosen in the app (or
 * `--ffmpeg`), `FFMPEG_PATH` / `FFPROBE_PATH`, the copy packaged with the app, `PATH`, the
 * usual install folders of the OS (Homebrew, winget, Chocolatey, Scoop, ...).
 */
export type FfmpegSource = 'chosen' | 'env' | 'bundled' | 'path' | 'common-folder';

export interface FoundBinary {
  /** Absolute path of the executable. */
  path: string;
  source: FfmpegSource;
  /** ffprobe only: found in the same folder as the ffmpeg in use. */
  besideFfmpeg?: boolean;
}

/**
 * Why ffmpeg cannot be used. `message` is one sentence for a person (no errno codes, no
 * stack); `detail` is for the log (errno code, exit status, the tool's own last words).
 */
export interface FfmpegProblem {
  message: string;
  detail: string;
}

export interface FfmpegVersion {
  /** As ffmpeg prints it after "ffmpeg version": `6.1.1`, `n7.1`, `N-112233-gabc`, `5.1.6-0+deb12u1`. */
  text: string;
  /** null for builds from git that carry no release number. */
  major: number | null;
  minor: number | null;
}

/** What one ffmpeg binary can do, read from its own answers (`-version`, `-encoders`, ...). */
export interface FfmpegCapabilities {
  version: FfmpegVersion;
  /** From the configure line: GPL when built with --enable-gpl, nonfree with --enable-nonfree. */
  license: 'LGPL' | 'GPL' | 'nonfree';
  encoders: string[];
  muxers: string[];
  filters: string[];
  /** Option names of the filters that were asked about (those presets set by name). */
  filterOptions: Record<string, string[]>;
}

/** The ffmpeg + ffprobe pair the local engine runs, or why there is none. */
export type LocalFfmpeg =
  | {
      available: true;
      ffmpeg: FoundBinary;
      ffprobe: FoundBinary;
      capabilities: FfmpegCapabilities;
      /** For the window: "ffmpeg 6.1 (bundled)". */
      summary: string;
    }
  | {
      available: false;
      problem: FfmpegProblem;
      /** What was found before the problem, if anything (shown with the message). */
      ffmpeg: FoundBinary | null;
      ffprobe: FoundBinary | null;
    };

/** What a command asks of ffmpeg, read from its arguments. */
export interface CommandNeeds {
  encoders: string[];
  muxers: string[];
  filters: string[];
  /** Filter options set by name (`force_divisible_by=2`), which older builds may lack. */
  filterOptions: { filter: string; option: string }[];
}

/** Whether a preset (or a command) can run on a given ffmpeg, and if not, why in plain words. */
export type Availability =
  | { available: true }
  | {
      available: false;
      /** One sentence: `this ffmpeg has no SVT-AV1 encoder (libsvtav1)`. */
      reason: string;
      missing: CommandNeeds;
    };

/** Where ffmpeg and ffprobe were found (files that exist and may be run), before asking them. */
export type FfmpegResolution =
  | { ok: true; ffmpeg: FoundBinary; ffprobe: FoundBinary; notes: string[] }
  | { ok: false; problem: FfmpegProblem; ffmpeg: FoundBinary | null; notes: string[] };

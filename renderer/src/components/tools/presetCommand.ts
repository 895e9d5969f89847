/**
 * The preset editor's form as an FFmpeg command template, and the live check of a template by
 * the same rules the engine applies (shared/ffmpeg/argumentRules + shared/presets' checks).
 */
import { prepareFfmpegArgs, UnsafeCommandError } from '../../../../shared/ffmpeg/argumentRules';
import { presetProblems } from '../../../../shared/presets';
import type { MediaKind } from '../../../../shared/presetTypes';

export interface PresetForm {
  name: string;
  container: string;
  videoCodec: string;
  quality: 'crf' | 'bitrate';
  crf: number;
  videoBitrateK: number;
  /** 0: keep the source's height. */
  height: number;
  /** 0: keep the source's frame rate. */
  fps: number;
  audioCodec: string;
  audioBitrateK: number;
  audioOnly: boolean;
  stripAudio: boolean;
  trimStart: string;
  trimEnd: string;
  /** null: the command is built from the fields; text: the person's own template. */
  advanced: string | null;
  /**
   * The person's own template while "Edit the command myself" is unticked (ownCommandToggled):
   * ticking it again brings it back instead of throwing the typing away. Absent: none kept.
   */
  keptCommand?: string;
}

export const CONTAINERS: Record<string, { kind: MediaKind }> = {
  mp4: { kind: 'video' },
  webm: { kind: 'video' },
  mkv: { kind: 'video' },
  mov: { kind: 'video' },
  mp3: { kind: 'audio' },
  m4a: { kind: 'audio' },
  ogg: { kind: 'audio' },
};
export const VIDEO_CODECS = ['libx264', 'libvpx-vp9', 'libx265', 'copy'];
export const AUDIO_CODECS = ['aac', 'libopus', 'libmp3lame', 'libvorbis', 'copy'];

export const EMPTY_FORM: PresetForm = {
  name: '',
  container: 'mp4',
  videoCodec: 'libx264',
  quality: 'crf',
  crf: 23,
  videoBitrateK: 2000,
  height: 0,
  fps: 0,
  audioCodec: 'aac',
  audioBitrateK: 128,
  audioOnly: false,
  stripAudio: false,
  trimStart: '',
  trimEnd: '',
  advanced: null,
};

/** The template the fields describe. */
export function buildCommand(f: PresetForm): string {
  const parts = ['-i {{in_file}}'];
  if (f.trimStart.trim()) parts.push(`-ss ${f.trimStart.trim()}`);
  if (f.trimEnd.trim()) parts.push(`-to ${f.trimEnd.trim()}`);
  const audioOnly = f.audioOnly || CONTAINERS[f.container]?.kind === 'audio';
  if (audioOnly) parts.push('-vn');
  else {
    parts.push(`-c:v ${f.videoCodec}`);
    if (f.videoCodec !== 'copy') {
      parts.push(f.quality === 'crf' ? `-crf ${f.crf}` : `-b:v ${f.videoBitrateK}k`);
      if (f.height > 0) parts.push(`-vf scale=-2:${f.height}`);
      if (f.fps > 0) parts.push(`-r ${f.fps}`);
    }
  }
  if (f.stripAudio && !audioOnly) parts.push('-an');
  else {
    parts.push(`-c:a ${f.audioCodec}`);
    if (f.audioCodec !== 'copy') parts.push(`-b:a ${f.audioBitrateK}k`);
  }
  parts.push('{{out_file}}');
  return parts.join(' ');
}

/**
 * The form once "Edit the command myself" is ticked or unticked. Unticking keeps a template the
 * person changed (not one the fields built), and ticking again brings it back; a kept template
 * goes once the fields build the same command anyway.
 */
export function ownCommandToggled(f: PresetForm, own: boolean): PresetForm {
  if (own) {
    const { keptCommand, ...rest } = f;
    return { ...rest, advanced: keptCommand ?? buildCommand(f) };
  }
  const typed = f.advanced;
  const { keptCommand: _dropped, ...rest } = f;
  return typed !== null && typed !== buildCommand(f)
    ? { ...rest, advanced: null, keptCommand: typed }
    : { ...rest, advanced: null };
}

export function commandOf(f: PresetForm): string {
  return f.advanced ?? buildCommand(f);
}

export function kindOf(f: PresetForm): MediaKind {
  return f.audioOnly ? 'audio' : (CONTAINERS[f.container]?.kind ?? 'video');
}

/** The preset the form makes, as the editor sends it to main. */
export function presetInputOf(f: PresetForm) {
  const category = kindOf(f);
  return {
    name: f.name,
    description: '',
    category,
    accepts:
      category === 'audio' ? (['video', 'audio'] as MediaKind[]) : (['video'] as MediaKind[]),
    ffmpegCommand: commandOf(f),
    outputs: [{ alias: 'out_file', extension: f.container }],
  };
}

/** Why the engine would refuse the command, or null (the engine's own rules). */
function engineRule(command: string): string | null {
  try {
    prepareFfmpegArgs(command, (alias) => `${alias}.media`);
    return null;
  } catch (error) {
    if (error instanceof UnsafeCommandError) return error.message;
    return error instanceof Error ? error.message : String(error);
  }
}

/** Every problem of the form's preset, as sentences (empty: it can be saved). */
export function formProblems(f: PresetForm): string[] {
  return presetProblems(
    { ...presetInputOf(f), id: 'custom-check', source: 'custom' },
    { checkCommand: engineRule },
  );
}

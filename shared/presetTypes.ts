/** What the app knows of a format preset. Built-in ones live in shared/presets/. */

export type MediaKind = 'video' | 'audio' | 'image';

export interface PresetOutput {
  /** RenderIO output alias, `out_` + [A-Za-z0-9_]. */
  alias: string;
  /** Extension of the file written, without the dot: `webm`, `mp3`, `jpg`. */
  extension: string;
  /** Added to the file name before the extension when a preset makes several files (`-thumb`). */
  suffix?: string;
}

export interface Preset {
  /** Stable id: `webm-vp9`, `custom-<uuid>`, `account-<preset_id>`. */
  id: string;
  name: string;
  description: string;
  category: MediaKind;
  /** The kinds of input the preset can take; others are refused before upload. */
  accepts: MediaKind[];
  /**
   * RenderIO command text with `{{in_file}}` as the one input and each output's alias as a
   * placeholder. Exactly one of ffmpegCommand / ffmpegCommands is set.
   */
  ffmpegCommand?: string;
  ffmpegCommands?: string[];
  outputs: PresetOutput[];
  source: 'built-in' | 'custom' | 'account';
  /** For account presets: run through POST /presets/:id/execute with this id. */
  remotePresetId?: string;
  /** For account presets: the preset's one `input_file_keys` entry the source is passed as. */
  remoteInputKey?: string;
  /**
   * Set when the app lists the preset but cannot run it (an account preset that takes several
   * inputs, or none): why, as a sentence. Such a preset is shown disabled and the core refuses
   * jobs with it before any upload.
   */
  unavailable?: string;
}

/** The one input alias every app preset uses. */
export const PRESET_INPUT_ALIAS = 'in_file';

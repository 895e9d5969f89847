/** Built-in presets and the helpers to check, import, export and run presets. */
import type { Preset } from '../presetTypes';
import { BUILT_IN_PRESETS } from './builtInPresets';

export { BUILT_IN_PRESETS } from './builtInPresets';
export {
  SUPPORTED_EXTENSIONS,
  describePresetRefusal,
  describeUnavailablePreset,
  mediaKindFromExtension,
  presetAcceptsMedia,
  type MediaFacts,
} from './mediaKinds';
export { presetOutputFiles, presetToCommandRequest, safeOutputBaseName } from './presetRequest';
export {
  PRESET_FILE_FORMAT,
  PRESET_FILE_VERSION,
  MAX_IMPORT_PRESETS,
  PresetImportError,
  exportPresets,
  importPresets,
  presetProblems,
  validatePreset,
  type PresetImportResult,
  type PresetValidation,
  type ValidatePresetOptions,
} from './presetValidation';

/** A built-in preset by id, or undefined. */
export function findPreset(
  id: string,
  presets: readonly Preset[] = BUILT_IN_PRESETS,
): Preset | undefined {
  return presets.find((p) => p.id === id);
}

/**
 * ffmpeg on this computer: find it (resolveFfmpeg), ask what it can do
 * (checkFfmpegCapabilities), both at once (findLocalFfmpeg), and judge presets and commands
 * against it (presetAvailability, needsOfArgs + needsAvailability). Types: shared/ffmpegTypes.ts.
 */
export type {
  Availability,
  CommandNeeds,
  FfmpegCapabilities,
  FfmpegProblem,
  FfmpegResolution,
  FfmpegSource,
  FfmpegVersion,
  FoundBinary,
  LocalFfmpeg,
} from '../../ffmpegTypes';
export { resolveFfmpeg, type ResolveFfmpegOptions } from './resolveFfmpeg';
export {
  checkFfmpegCapabilities,
  DEFAULT_CHECK_TIMEOUT_MS,
  type CapabilitiesOutcome,
  type CheckCapabilitiesOptions,
} from './checkCapabilities';
export { findLocalFfmpeg, describeLocalFfmpeg, type LocalFfmpegOptions } from './localFfmpeg';
export { needsOfArgs, presetNeeds, filtersToDescribe } from './commandNeeds';
export {
  presetAvailability,
  needsAvailability,
  missingNeeds,
  describeMissing,
} from './presetAvailability';
export { bundledFfmpegDir, FFMPEG_PACKAGES, PACKAGED_PLATFORMS } from './bundledFfmpeg';
export { commonFolders, pathFolders } from './searchFolders';

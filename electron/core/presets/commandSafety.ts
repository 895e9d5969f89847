/**
 * The engine's command-safety rules (shared/ffmpeg/argumentRules.ts), applied to a custom
 * preset when it is saved or imported, so a preset that reads `/etc/passwd` or opens a
 * network input is refused at once instead of after its first upload.
 */
import { prepareFfmpegArgs, UnsafeCommandError } from '../../../shared/ffmpeg/argumentRules';

/** The reason the engine would refuse this command text, or null when it would run it. */
export function checkPresetCommand(command: string): string | null {
  try {
    // Placeholders become plain names in a work folder, as the engine resolves them.
    prepareFfmpegArgs(command, (alias) => `${alias}.media`);
    return null;
  } catch (error) {
    if (error instanceof UnsafeCommandError) return error.message;
    throw error;
  }
}

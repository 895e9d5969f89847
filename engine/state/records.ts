/** What the engine persists about files, commands, presets and the webhook. */
import type {
  CommandObject,
  MediaFields,
  PresetObject,
  StoredFile,
} from '../../shared/renderioApi';

/** The persisted file: the wire object without its signed URL (made per answer), plus what only the engine keeps. */
export interface FileRecord extends Omit<StoredFile, 'storage_url'> {
  /** Plain file name of the blob (also the last segment of the storage URL). */
  filename: string;
  /** Set once every byte is on disk: a restart may re-probe such a file. */
  received: boolean;
  size_bytes: number | null;
  /** For outputs: the command that made it. */
  command_id: string | null;
  /** When it was deleted (absent from older states: its created_at stands in). */
  deleted_at?: string;
}

export interface CommandOutputRef {
  file_id: string;
  filename: string;
}

/** The persisted command: the wire object's own fields plus what only the engine keeps. */
export interface CommandRecord extends Pick<
  CommandObject,
  | 'command_id'
  | 'status'
  | 'command_type'
  | 'total_processing_seconds'
  | 'ffmpeg_command_run_seconds'
  | 'metadata'
  | 'error_status'
  | 'error_message'
  | 'original_request'
> {
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** alias → output file, filled when the command succeeds. */
  outputs: Record<string, CommandOutputRef>;
  webhook_url: string | null;
  /**
   * alias → file_id for inputs that were this engine's own storage URLs when submitted. A run
   * reads these files by id, so a command re-run after a restart (new port, expired signature)
   * still finds them. Absent in records written before this field existed.
   */
  input_file_ids?: Record<string, string>;
  /** The command ended but its webhook was not delivered yet: a restart delivers it. */
  webhook_pending?: boolean;
}

export interface WebhookRecord {
  url: string;
  secret: string | null;
  is_active: boolean;
  consecutive_failures: number;
  disabled_at: string | null;
}

export interface EngineState {
  version: 1;
  files: Record<string, FileRecord>;
  commands: Record<string, CommandRecord>;
  presets: Record<string, PresetObject>;
  webhook: WebhookRecord | null;
}

export function emptyState(): EngineState {
  return { version: 1, files: {}, commands: {}, presets: {}, webhook: null };
}

export const EMPTY_MEDIA: MediaFields = {
  size_mbytes: null,
  duration: null,
  file_type: null,
  file_format: null,
  codec: null,
  pixel_format: null,
  mime_type: null,
  width: null,
  height: null,
  frame_rate: null,
  bitrate_video_kb: null,
  bitrate_audio_kb: null,
  sample_rate: null,
  channels: null,
};

/**
 * Wire types of the RenderIO API (renderio-api.md), spoken by the client in electron/core
 * and served by the local engine. Field names are the API's own (snake_case).
 */

export const API_PREFIX = '/api/v1';
export const DEFAULT_CLOUD_BASE_URL = 'https://renderio.dev';
export const API_KEY_HEADER = 'X-API-KEY';

export type FileStatus = 'PROCESSING' | 'STORED' | 'FAILED';
export type StoreType = 'OUTPUT' | 'STORED_FILE' | 'UPLOAD';
export type CommandStatus = 'QUEUED' | 'PROCESSING' | 'SUCCESS' | 'FAILED';
export type CommandType = 'FFMPEG_COMMAND' | 'CHAINED_COMMAND' | 'MULTIPLE_COMMAND';
export const COMMAND_STATUSES: readonly CommandStatus[] = [
  'QUEUED',
  'PROCESSING',
  'SUCCESS',
  'FAILED',
];

/** Media fields of a probed file; every one may be null. */
export interface MediaFields {
  size_mbytes: number | null;
  duration: number | null;
  file_type: 'video' | 'audio' | 'image' | null;
  file_format: string | null;
  codec: string | null;
  pixel_format: string | null;
  mime_type: string | null;
  width: number | null;
  height: number | null;
  frame_rate: number | null;
  bitrate_video_kb: number | null;
  bitrate_audio_kb: number | null;
  sample_rate: number | null;
  channels: number | null;
}

export interface StoredFile extends MediaFields {
  file_id: string;
  status: FileStatus;
  storage_url: string | null;
  rendi_store_type: StoreType;
  is_deleted: boolean;
  original_file_url: string | null;
  error_status: string | null;
  error_message: string | null;
  created_at: string;
}

export interface OutputFile extends MediaFields {
  file_id: string;
  storage_url: string | null;
  status: FileStatus;
  rendi_store_type: 'OUTPUT';
  is_deleted: boolean;
  filename: string;
}

export type Metadata = Record<string, string | number | boolean>;

export interface RunCommandRequest {
  input_files: Record<string, string>;
  output_files: Record<string, string>;
  ffmpeg_command: string;
  metadata?: Metadata;
  webhook_url?: string;
}

export interface RunChainedRequest {
  input_files: Record<string, string>;
  output_files: Record<string, string>;
  ffmpeg_commands: string[];
  metadata?: Metadata;
  webhook_url?: string;
}

export interface RunMultipleRequest {
  commands: {
    input_files: Record<string, string>;
    output_files: Record<string, string>;
    ffmpeg_command: string;
  }[];
  metadata?: Metadata;
  webhook_url?: string;
}

export interface SubmitResponse {
  command_id: string;
}

export interface CommandObject {
  command_id: string;
  status: CommandStatus;
  command_type: CommandType;
  total_processing_seconds: number | null;
  ffmpeg_command_run_seconds: number | null;
  metadata: Metadata | null;
  error_status: string | null;
  error_message: string | null;
  original_request: {
    input_files: Record<string, string>;
    output_files: Record<string, string>;
    ffmpeg_command?: string;
    ffmpeg_commands?: string[];
  };
  output_files: Record<string, OutputFile>;
  created_at?: string;
  /** Engine-only extension: 0..1 while PROCESSING. Clients must not depend on it. */
  progress?: number | null;
}

export interface CommandList {
  commands: CommandObject[];
  limit: number;
  offset: number;
}

export interface PresetObject {
  preset_id: string;
  name: string;
  description: string | null;
  is_system: boolean;
  category: string | null;
  command_type: CommandType;
  ffmpeg_command: string | null;
  ffmpeg_commands: string[] | null;
  input_file_keys: string[];
  output_file_definitions: Record<string, string>;
  metadata: Metadata | null;
  created_at: string;
  updated_at: string;
}

export interface CreatePresetRequest {
  name: string;
  description?: string;
  command_type?: CommandType;
  ffmpeg_command?: string;
  ffmpeg_commands?: string[];
  input_file_keys: string[];
  output_file_definitions: Record<string, string>;
  metadata?: Metadata;
}

export interface WebhookConfig {
  configured: boolean;
  url?: string;
  is_active?: boolean;
  consecutive_failures?: number;
  disabled_at?: string | null;
}

export interface WebhookDelivery {
  data: CommandObject;
  timestamp: number;
}

/** Error bodies: a string for most codes, the issue array for 422. */
export interface ErrorBody {
  detail: string | { loc: (string | number)[]; msg: string; type: string }[];
}

export const INVALID_KEY_DETAIL = 'Invalid or missing API key';

/**
 * The `error_status` of a command or file this computer's engine could not finish because its
 * disk is full (engine/storage/diskSpace.ts); uploads are refused with 507 instead. Unlike other
 * failures the same command succeeds once space is freed, so the app offers Retry.
 */
export const DISK_FULL_STATUS = 'DISK_FULL';

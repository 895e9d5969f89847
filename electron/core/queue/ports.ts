/**
 * What the queue needs from the outside world, as small interfaces. appCore adapts the real
 * RenderIO client (electron/core/client) and transfers (electron/core/transfers) to these, so the
 * state machine depends on nothing but its own contract.
 */
import type {
  CommandList,
  CommandObject,
  Metadata,
  RunChainedRequest,
  RunCommandRequest,
  StoredFile,
  SubmitResponse,
} from '../../../shared/renderioApi';
import type { CollisionPolicy, OutputCommit } from '../../../shared/jobs';

export interface CallOptions {
  signal?: AbortSignal;
}

/** The RenderIO calls the queue makes, bound to one profile (base URL + key). */
export interface QueueClient {
  uploadFile(
    path: string,
    options: CallOptions & {
      onProgress?: (sentBytes: number, totalBytes: number | null) => void;
      /** The name the server gets (the job's tag in it: phases/uploadTag.ts). */
      fileName?: string;
    },
  ): Promise<{ file_id: string }>;
  /** `holdMs`: the server may hold the answer while the status stays (client.ts getFile). */
  getFile(fileId: string, options?: CallOptions & { holdMs?: number }): Promise<StoredFile>;
  /** Recent files, newest first: where an upload whose answer was lost is looked for. */
  listFiles(
    query: { limit?: number; offset?: number },
    options?: CallOptions,
  ): Promise<{ files: StoredFile[] }>;
  runCommand(request: RunCommandRequest, options?: CallOptions): Promise<SubmitResponse>;
  runChained(request: RunChainedRequest, options?: CallOptions): Promise<SubmitResponse>;
  executePreset(
    presetId: string,
    request: { input_files: Record<string, string>; metadata?: Metadata },
    options?: CallOptions,
  ): Promise<SubmitResponse>;
  getCommand(
    commandId: string,
    options?: CallOptions & { holdMs?: number },
  ): Promise<CommandObject>;
  listCommands(
    query: { limit?: number; offset?: number },
    options?: CallOptions,
  ): Promise<CommandList>;
  deleteCommandFiles(commandId: string, options?: CallOptions): Promise<unknown>;
  deleteFile(fileId: string, options?: CallOptions): Promise<unknown>;
  /** Streams a storage URL to `<dir>/<fileName>.part`, then renames under the collision policy. */
  download(request: DownloadRequest): Promise<DownloadResult>;
}

export interface DownloadRequest {
  url: string;
  dir: string;
  fileName: string;
  collision: CollisionPolicy;
  /** Paths never written over whatever the policy (the job's source). */
  protectedPaths: string[];
  /** Paths the queue's other jobs hold in the folder: never taken, whatever the policy. */
  heldPaths?: string[];
  onProgress?: (doneBytes: number, totalBytes: number | null) => void;
  signal?: AbortSignal;
  /** A fresh URL when the old one expired (re-polls the command). */
  refreshUrl?: () => Promise<string>;
  /** Continue an existing .part left by this job before a restart. */
  resumeExisting?: boolean;
  /**
   * Awaited with the final path before the finished .part is moved there (the queue saves it);
   * throwing leaves the complete .part and no final file.
   */
  beforeCommit?: (commit: OutputCommit) => Promise<void>;
  /** The commit saved by an earlier run without a saved result: finished or adopted, not redone. */
  recordedCommit?: OutputCommit;
}

export interface DownloadResult {
  /** Final path, or null when the collision policy said skip. */
  path: string | null;
  skipped: boolean;
}

/**
 * Named points in a job's life, reported after the state that reached them is on disk.
 * Used for instrumentation (and by the crash tests to stop the process at an exact point).
 */
export type Checkpoint =
  | 'upload-started'
  | 'uploaded'
  | 'stored'
  | 'submit-answered'
  | 'submitted'
  | 'processing'
  | 'succeeded'
  | 'download-progress'
  /** An output's final path is saved; its .part is complete and not yet moved there. */
  | 'output-committing'
  /** The output is in place (moved, adopted or skipped); that is not yet saved. */
  | 'output-renamed'
  | 'output-saved'
  | 'done';

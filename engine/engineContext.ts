/** The pieces every service of the engine shares, built once by startEngine. */
import type { LocalFfmpeg } from '../shared/ffmpegTypes';
import type { Logger } from '../shared/redact';
import type { EngineConfig } from './config';
import type { StateStore } from './state/stateStore';
import type { BlobStore } from './storage/blobStore';
import type { UrlSigner } from './storage/signing';

export interface EngineContext {
  config: EngineConfig;
  logger: Logger;
  store: StateStore;
  blobs: BlobStore;
  signer: UrlSigner;
  /** The ffmpeg + ffprobe commands and probes run with, or why there are none. */
  ffmpeg: LocalFfmpeg;
  /** The engine's own origin, e.g. http://127.0.0.1:40123 (set once the server listens). */
  origin(): string;
}

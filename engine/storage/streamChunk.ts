/**
 * Chunk size for streaming files to and from disk. Measured on loopback (bench/engine.ts):
 * 64 KiB chunks move data faster than 1 MiB ones (fewer large socket writes stalling), and
 * keep memory flat.
 */
export const STREAM_CHUNK_BYTES = 64 * 1024;

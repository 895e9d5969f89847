/**
 * Chunk size for streams read from a socket and written to disk (the upload parser, fetched
 * inputs). Measured on loopback (bench/engine.ts): 64 KiB chunks move data faster than 1 MiB
 * ones (fewer large socket writes stalling), and keep memory flat. An upload's disk writes
 * gather several such chunks (UPLOAD_WRITE_BUFFER_BYTES, below). Downloads, measured on their
 * own, use DOWNLOAD_CHUNK_BYTES.
 */
export const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * Chunk size for a download (file → socket). Measured with the engine and each client on its
 * own core (bench/client.ts): 1 MiB reads and socket writes cost the engine less CPU per byte
 * than 64 KiB ones (0.84 s against 0.97–1.10 s a GiB), and both curl and the core's client
 * downloaded faster (curl 1.29 against 1.12 GB/s). Memory: about two chunks per download.
 */
export const DOWNLOAD_CHUNK_BYTES = 1024 * 1024;

/**
 * How much an upload's disk write may hold while a write is in flight. The socket delivers
 * 64 KiB at a time; with a buffer of one chunk each was written on its own, a hand-off to
 * libuv's pool and back per 64 KiB (32 for a 2 MB clip, a fifth of the engine's calls into
 * the file system a job; docs/PERFORMANCE-CHANGELOG.md, 2026-12-07 "night"). With room for
 * several, those that arrive during a write go down together in one `writev`.
 */
export const UPLOAD_WRITE_BUFFER_BYTES = 1024 * 1024;

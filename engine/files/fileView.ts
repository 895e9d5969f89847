/** Turning a stored FileRecord into the API's file object. */
import type { OutputFile, StoredFile } from '../../shared/renderioApi';
import type { EngineContext } from '../engineContext';
import type { FileRecord } from '../state/records';

function liveUrl(ctx: EngineContext, r: FileRecord): string | null {
  if (r.status !== 'STORED' || r.is_deleted) return null;
  // Signed afresh on every read, so a poll always hands out a URL with a full lifetime.
  return ctx.signer.sign(ctx.origin(), r.file_id, r.filename);
}

export function toStoredFile(ctx: EngineContext, r: FileRecord): StoredFile {
  return {
    file_id: r.file_id,
    status: r.status,
    storage_url: liveUrl(ctx, r),
    rendi_store_type: r.rendi_store_type,
    is_deleted: r.is_deleted,
    original_file_url: r.original_file_url,
    size_mbytes: r.size_mbytes,
    duration: r.duration,
    file_type: r.file_type,
    file_format: r.file_format,
    codec: r.codec,
    pixel_format: r.pixel_format,
    mime_type: r.mime_type,
    width: r.width,
    height: r.height,
    frame_rate: r.frame_rate,
    bitrate_video_kb: r.bitrate_video_kb,
    bitrate_audio_kb: r.bitrate_audio_kb,
    sample_rate: r.sample_rate,
    channels: r.channels,
    error_status: r.error_status,
    error_message: r.error_message,
    created_at: r.created_at,
  };
}

export function toOutputFile(ctx: EngineContext, r: FileRecord): OutputFile {
  const {
    original_file_url: _o,
    error_status: _s,
    error_message: _m,
    created_at: _c,
    ...rest
  } = toStoredFile(ctx, r);
  return { ...rest, rendi_store_type: 'OUTPUT', filename: r.filename };
}

/**
 * An engine state with `n` spent jobs behind it, as a day of the app's work leaves them: per
 * job an uploaded input and an output, both deleted by the app's clean-up, and the finished
 * command that made the output, shaped as the engine writes them (~2.2 KB a job). Written
 * before the engine starts, `hoursAgo` in the past, so the start's retention sweep forgets
 * them unless `recordRetentionHours` keeps them (the engine before it forgot anything).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState, type EngineState, type FileRecord } from '../../engine/state/records';

const COMMAND =
  '-i {{in_file}} -map 0:v:0 -map 0:a:0? -vf "crop=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p" -c:v libx264 -preset veryfast -crf 23 -profile:v high -pix_fmt yuv420p -c:a aac -b:a 128k -movflags +faststart {{out_file}}';

function file(
  type: 'UPLOAD' | 'OUTPUT',
  filename: string,
  at: string,
  commandId: string | null,
): FileRecord {
  return {
    file_id: randomUUID(),
    status: 'STORED',
    rendi_store_type: type,
    is_deleted: true,
    original_file_url: null,
    error_status: null,
    error_message: null,
    created_at: at,
    filename,
    received: true,
    size_bytes: 1_234_567,
    command_id: commandId,
    size_mbytes: 1.177,
    duration: 20,
    file_type: 'video',
    file_format: 'mp4',
    codec: 'h264',
    pixel_format: 'yuv420p',
    mime_type: 'video/mp4',
    width: 320,
    height: 240,
    frame_rate: 25,
    bitrate_video_kb: 420,
    bitrate_audio_kb: 70,
    sample_rate: 44100,
    channels: 1,
    deleted_at: at,
  };
}

export function spentState(n: number, hoursAgo: number): EngineState {
  const state = emptyState();
  const at = new Date(Date.now() - hoursAgo * 3600_000).toISOString();
  for (let i = 0; i < n; i++) {
    const commandId = randomUUID();
    const input = file('UPLOAD', `clip-${i}~rdj-${commandId.slice(0, 9)}.mp4`, at, null);
    const output = file('OUTPUT', `clip-${i}.mp4`, at, commandId);
    state.files[input.file_id] = input;
    state.files[output.file_id] = output;
    state.commands[commandId] = {
      command_id: commandId,
      status: 'SUCCESS',
      command_type: 'FFMPEG_COMMAND',
      created_at: at,
      started_at: at,
      finished_at: at,
      total_processing_seconds: 4.1,
      ffmpeg_command_run_seconds: 2.5,
      metadata: { client_job_id: randomUUID(), client_attempt: 0, client: 'renderio-desktop' },
      error_status: null,
      error_message: null,
      original_request: {
        input_files: {
          in_file: `http://127.0.0.1:42893/storage/${input.file_id}/${input.filename}?expires=1796675328&signature=${'0'.repeat(64)}`,
        },
        output_files: { out_file: output.filename },
        ffmpeg_command: COMMAND,
      },
      outputs: { out_file: { file_id: output.file_id, filename: output.filename } },
      webhook_url: null,
      input_file_ids: { in_file: input.file_id },
    };
  }
  return state;
}

/** Writes `state` as the engine under `engineDir` will read it at its start. */
export async function seedEngineState(engineDir: string, state: EngineState): Promise<void> {
  await mkdir(engineDir, { recursive: true });
  await writeFile(join(engineDir, 'state.json'), JSON.stringify(state));
}

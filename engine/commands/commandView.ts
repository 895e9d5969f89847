/** Turning a CommandRecord into the API's poll object. */
import type { CommandObject, OutputFile } from '../../shared/renderioApi';
import type { EngineContext } from '../engineContext';
import { toOutputFile } from '../files/fileView';
import type { CommandRecord } from '../state/records';

export function toCommandObject(
  ctx: EngineContext,
  r: CommandRecord,
  progress: number | null,
): CommandObject {
  const outputs: Record<string, OutputFile> = {};
  for (const [alias, ref] of Object.entries(r.outputs)) {
    const file = ctx.store.state.files[ref.file_id];
    if (file) outputs[alias] = toOutputFile(ctx, file);
  }
  const object: CommandObject = {
    command_id: r.command_id,
    status: r.status,
    command_type: r.command_type,
    total_processing_seconds: r.total_processing_seconds,
    ffmpeg_command_run_seconds: r.ffmpeg_command_run_seconds,
    metadata: r.metadata,
    error_status: r.error_status,
    error_message: r.error_message,
    original_request: r.original_request,
    output_files: outputs,
    created_at: r.created_at,
  };
  // Engine-only extension, present while the command runs.
  if (r.status === 'PROCESSING') object.progress = progress ?? 0;
  return object;
}

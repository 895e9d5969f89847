/**
 * Output retention: command outputs older than `outputRetentionHours` are deleted (bytes
 * removed, record kept with `is_deleted: true`). Runs at start and then periodically.
 */
import type { FileService } from './files/fileService';
import type { EngineContext } from './engineContext';

export async function sweepExpiredOutputs(
  ctx: EngineContext,
  files: FileService,
  now = Date.now(),
): Promise<number> {
  const cutoff = now - ctx.config.outputRetentionHours * 3600 * 1000;
  let removed = 0;
  for (const record of Object.values(ctx.store.state.files)) {
    if (record.rendi_store_type !== 'OUTPUT' || record.is_deleted) continue;
    if (Date.parse(record.created_at) < cutoff && (await files.delete(record.file_id))) removed++;
  }
  if (removed > 0) ctx.logger.info(`retention: deleted ${removed} expired output file(s)`);
  return removed;
}

export function startRetention(ctx: EngineContext, files: FileService): () => void {
  const run = () =>
    void sweepExpiredOutputs(ctx, files).catch((error: unknown) =>
      ctx.logger.warn('retention sweep failed:', error),
    );
  run();
  const timer = setInterval(run, ctx.config.retentionSweepMs);
  timer.unref();
  return () => clearInterval(timer);
}

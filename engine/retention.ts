/**
 * Retention, at start and then periodically: command outputs older than
 * `outputRetentionHours` are deleted (bytes removed, record kept with `is_deleted: true`);
 * records with nothing left behind them are forgotten `recordRetentionHours` later, so the
 * state file (rewritten whole after each change) holds a day of work, not every job ever.
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

/**
 * Forgets spent records older than `recordRetentionHours`: a finished command whose outputs
 * are all deleted (and whose webhook is delivered), then each deleted file no remembered
 * command lists as an output. Returns how many records of each went.
 */
export function forgetSpentRecords(
  ctx: EngineContext,
  now = Date.now(),
): { commands: number; files: number } {
  const cutoff = now - ctx.config.recordRetentionHours * 3600 * 1000;
  const { files, commands } = ctx.store.state;
  const gone = (fileId: string) => files[fileId]?.is_deleted !== false;
  let forgotCommands = 0;
  for (const [id, command] of Object.entries(commands)) {
    if (command.status !== 'SUCCESS' && command.status !== 'FAILED') continue;
    if (command.webhook_pending) continue;
    if (!(Date.parse(command.finished_at ?? command.created_at) < cutoff)) continue;
    if (!Object.values(command.outputs).every((ref) => gone(ref.file_id))) continue;
    delete commands[id];
    forgotCommands++;
  }
  const listed = new Set<string>();
  for (const command of Object.values(commands))
    for (const ref of Object.values(command.outputs)) listed.add(ref.file_id);
  let forgotFiles = 0;
  for (const [id, file] of Object.entries(files)) {
    if (!file.is_deleted || listed.has(id)) continue;
    if (!(Date.parse(file.deleted_at ?? file.created_at) < cutoff)) continue;
    delete files[id];
    forgotFiles++;
  }
  if (forgotCommands + forgotFiles > 0) {
    ctx.store.changed();
    ctx.logger.info(
      `retention: forgot ${forgotCommands} finished command(s) and ${forgotFiles} deleted file(s)`,
    );
  }
  return { commands: forgotCommands, files: forgotFiles };
}

export function startRetention(ctx: EngineContext, files: FileService): () => void {
  const run = () =>
    void sweepExpiredOutputs(ctx, files)
      .then(() => forgetSpentRecords(ctx))
      .catch((error: unknown) => ctx.logger.warn('retention sweep failed:', error));
  run();
  const timer = setInterval(run, ctx.config.retentionSweepMs);
  timer.unref();
  return () => clearInterval(timer);
}

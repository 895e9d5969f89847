/** /api/v1: run-ffmpeg-command, run-chained-ffmpeg-commands, run-multiple-ffmpeg-commands, commands. */
import { MAX_CHAINED_COMMANDS, type ValidationIssue } from '../../shared/commandTemplate';
import {
  API_PREFIX,
  COMMAND_STATUSES,
  type CommandStatus,
  type CommandType,
  type Metadata,
} from '../../shared/renderioApi';
import type { EngineContext } from '../engineContext';
import type { FileService } from '../files/fileService';
import { readJsonObject } from '../http/body';
import { heldObject } from '../http/heldAnswer';
import type { RequestContext } from '../http/context';
import { badRequest, issue, notFound, unprocessable } from '../http/errors';
import { parsePaging } from '../http/pagination';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { CommandService } from './commandService';
import { toCommandObject } from './commandView';
import { validateCommandSpec, validateExtras, type CommandSpec } from './validateRequest';

export const COMMAND_NOT_FOUND = 'Command not found';

/**
 * Checks one command (single, or chained when `type` is CHAINED_COMMAND) and submits it,
 * answering `{ command_id }`; 422 with the command's and the extras' issues together.
 * Shared by the two run routes and preset execute, which passes its own `metadata` fallback.
 */
export async function submitOne(
  c: RequestContext,
  ctx: EngineContext,
  files: FileService,
  commands: CommandService,
  request: Record<string, unknown>,
  type: CommandType,
  extras: ReturnType<typeof validateExtras>,
  metadata: Metadata | null = extras.metadata,
): Promise<void> {
  const { spec, issues } = validateCommandSpec(request, files, type === 'CHAINED_COMMAND');
  if (!spec || extras.issues.length > 0) throw unprocessable([...issues, ...extras.issues]);
  const record = commands.submit(spec, type, metadata, extras.webhookUrl);
  // An accepted command is on disk before its id is: a crash right after the answer must
  // not leave the client polling an id the engine never heard of.
  await ctx.store.flush();
  sendJson(c, 200, { command_id: record.command_id });
}

export function registerCommandRoutes(
  router: Router,
  ctx: EngineContext,
  files: FileService,
  commands: CommandService,
): void {
  const limit = ctx.config.jsonLimitBytes;

  router.add('POST', `${API_PREFIX}/run-ffmpeg-command`, async (c) => {
    const body = await readJsonObject(c.req, limit);
    await submitOne(c, ctx, files, commands, body, 'FFMPEG_COMMAND', validateExtras(body));
  });

  router.add('POST', `${API_PREFIX}/run-chained-ffmpeg-commands`, async (c) => {
    const body = await readJsonObject(c.req, limit);
    await submitOne(c, ctx, files, commands, body, 'CHAINED_COMMAND', validateExtras(body));
  });

  router.add('POST', `${API_PREFIX}/run-multiple-ffmpeg-commands`, async (c) => {
    const body = await readJsonObject(c.req, limit);
    const extras = validateExtras(body);
    const issues: ValidationIssue[] = [...extras.issues];
    const specs: CommandSpec[] = [];
    if (!Array.isArray(body.commands) || body.commands.length === 0) {
      issues.push(
        issue(
          ['commands'],
          'commands must be a non-empty array',
          body.commands === undefined ? 'missing' : 'type_error',
        ),
      );
    } else if (body.commands.length > MAX_CHAINED_COMMANDS) {
      issues.push(issue(['commands'], `at most ${MAX_CHAINED_COMMANDS} commands per request`));
    } else {
      body.commands.forEach((entry: unknown, i: number) => {
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
          issues.push(issue(['commands', i], 'each command must be an object', 'type_error'));
          return;
        }
        const checked = validateCommandSpec(entry as Record<string, unknown>, files, false, [
          'commands',
          i,
        ]);
        issues.push(...checked.issues);
        if (checked.spec) specs.push(checked.spec);
      });
    }
    if (issues.length > 0) throw unprocessable(issues);
    // All or nothing: one bad command refuses the whole request, so nothing half-runs.
    const ids = specs.map(
      (spec) =>
        commands.submit(spec, 'MULTIPLE_COMMAND', extras.metadata, extras.webhookUrl).command_id,
    );
    await ctx.store.flush();
    sendJson(c, 200, { command_ids: ids });
  });

  router.add('GET', `${API_PREFIX}/commands`, (c) => {
    const { limit: max, offset } = parsePaging(c.query);
    const raw = c.query.get('status');
    let status: CommandStatus | null = null;
    if (raw !== null && raw !== '') {
      const wanted = raw.toUpperCase();
      if (!COMMAND_STATUSES.includes(wanted as CommandStatus))
        throw badRequest(`status must be one of ${COMMAND_STATUSES.join(', ')}`);
      status = wanted as CommandStatus;
    }
    sendJson(c, 200, {
      commands: commands
        .list(max, offset, status)
        .map((r) => toCommandObject(ctx, r, commands.progressOf(r.command_id))),
      limit: max,
      offset,
    });
  });

  router.add('GET', `${API_PREFIX}/commands/:commandId`, async (c) => {
    const id = c.params.commandId ?? '';
    const record = await heldObject(
      c,
      ctx.store,
      () => commands.get(id),
      () => notFound(COMMAND_NOT_FOUND),
    );
    sendJson(c, 200, toCommandObject(ctx, record, commands.progressOf(record.command_id)));
  });

  router.add('DELETE', `${API_PREFIX}/commands/:commandId/files`, async (c) => {
    const record = commands.get(c.params.commandId ?? '');
    if (!record) throw notFound(COMMAND_NOT_FOUND);
    const count = await commands.deleteOutputs(record);
    sendJson(c, 200, { deleted: true, files_deleted: count });
  });
}

/**
 * forgetSpentRecords: what the retention sweep forgets and what it must keep. The state is
 * built from tests/support/spentJobs (the records' real shape); the rules are the engine's.
 */
import { describe, expect, it } from 'vitest';
import { forgetSpentRecords } from '../../../engine/retention';
import type { EngineState } from '../../../engine/state/records';
import { spentState } from '../../support/spentJobs';

function ctxOf(state: EngineState, hours = 24) {
  let changes = 0;
  const logged: string[] = [];
  const ctx = {
    store: { state, changed: () => changes++ },
    config: { recordRetentionHours: hours },
    logger: { info: (line: string) => logged.push(line) },
  } as unknown as Parameters<typeof forgetSpentRecords>[0];
  return { ctx, changes: () => changes, logged };
}

describe('forgetting spent records', () => {
  it('forgets spent jobs older than the window, and only those', () => {
    const old = spentState(3, 30);
    const recent = spentState(2, 1);
    const state: EngineState = {
      ...old,
      files: { ...old.files, ...recent.files },
      commands: { ...old.commands, ...recent.commands },
    };
    const { ctx, changes, logged } = ctxOf(state);
    expect(forgetSpentRecords(ctx)).toEqual({ commands: 3, files: 6 });
    expect(Object.keys(state.commands).sort()).toEqual(Object.keys(recent.commands).sort());
    expect(Object.keys(state.files).sort()).toEqual(Object.keys(recent.files).sort());
    expect(changes()).toBe(1);
    expect(logged[0]).toMatch(/forgot 3 finished command\(s\) and 6 deleted file\(s\)/);
    // Nothing left to forget: no write.
    expect(forgetSpentRecords(ctx)).toEqual({ commands: 0, files: 0 });
    expect(changes()).toBe(1);
  });

  it('keeps a command with an output still there, a queued one, one whose webhook is owed, and the outputs they list', () => {
    const state = spentState(4, 30);
    const [withOutput, queued, owed, spent] = Object.values(state.commands);
    const liveOutput = state.files[Object.values(withOutput!.outputs)[0]!.file_id]!;
    liveOutput.is_deleted = false;
    delete liveOutput.deleted_at;
    queued!.status = 'QUEUED';
    queued!.finished_at = null;
    owed!.webhook_pending = true;
    const { ctx } = ctxOf(state);
    const forgot = forgetSpentRecords(ctx);
    expect(Object.keys(state.commands).sort()).toEqual(
      [withOutput!.command_id, queued!.command_id, owed!.command_id].sort(),
    );
    expect(state.commands[spent!.command_id]).toBeUndefined();
    // Kept: the live output, and the deleted outputs the kept commands still list.
    expect(state.files[liveOutput.file_id]).toBe(liveOutput);
    for (const command of [queued!, owed!])
      expect(state.files[Object.values(command.outputs)[0]!.file_id]).toBeDefined();
    // Every input (deleted, listed by no command's outputs) and the spent job's output go.
    expect(forgot).toEqual({ commands: 1, files: 5 });
  });

  it('counts a deleted file from its deletion, or from its creation in an older state', () => {
    const state = spentState(2, 30);
    const files = Object.values(state.files);
    files[0]!.deleted_at = new Date().toISOString(); // deleted just now: kept a day
    delete files[1]!.deleted_at; // an older state: created 30 h ago stands in
    const { ctx } = ctxOf(state);
    forgetSpentRecords(ctx);
    expect(state.files[files[0]!.file_id]).toBeDefined();
    expect(state.files[files[1]!.file_id]).toBeUndefined();
  });
});

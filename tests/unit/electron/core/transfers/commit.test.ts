/**
 * settleRecordedCommit: what a restart makes of a move that was announced (and saved) before a
 * crash, for every state the disk can be in, on real files.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { link, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProtectedSet } from '../../../../../electron/core/transfers/collision';
import {
  fileFacts,
  settleRecordedCommit,
  type CommitIntent,
} from '../../../../../electron/core/transfers/commit';
import { tempDir } from '../../../../support/media';

let dir: { path: string; cleanup(): Promise<void> };
let part: string;
let target: string;
beforeEach(async () => {
  dir = await tempDir('commit-');
  part = join(dir.path, 'out.webm.part');
  target = join(dir.path, 'out.webm');
});
afterEach(async () => {
  await dir.cleanup();
});

/** A finished .part and the intent an earlier run recorded for it. */
async function finishedPart(content: string, path = target): Promise<CommitIntent> {
  await writeFile(part, content);
  const facts = await fileFacts(part);
  return { path, bytes: content.length, ...(facts?.identity ? { identity: facts.identity } : {}) };
}

const none = async (): Promise<ProtectedSet> => ProtectedSet.of();

describe('settleRecordedCommit', () => {
  it('finishes the move of a complete .part, announcing the path again first', async () => {
    const intent = await finishedPart('new');
    const announced: string[] = [];
    const r = await settleRecordedCommit(part, target, intent, 'rename', await none(), (p) => {
      announced.push(p);
      return Promise.resolve();
    });
    expect(r).toEqual({ path: target, bytes: 3, skipped: false, recovered: 'finished' });
    expect(announced).toEqual([target]);
    expect(await readdir(dir.path)).toEqual(['out.webm']);
  });

  it('adopts the final file when the move had happened (the .part is gone)', async () => {
    const intent = await finishedPart('new');
    await rename(part, target);
    const r = await settleRecordedCommit(part, target, intent, 'rename', await none());
    expect(r).toEqual({ path: target, bytes: 3, skipped: false, recovered: 'adopted' });
    expect(await readdir(dir.path)).toEqual(['out.webm']);
  });

  it('adopts a name claimed with link() whose .part was not removed yet, and removes it', async () => {
    const intent = await finishedPart('new');
    await link(part, target);
    const r = await settleRecordedCommit(part, target, intent, 'rename', await none());
    expect(r?.recovered).toBe('adopted');
    expect(r?.path).toBe(target);
    expect(await readdir(dir.path)).toEqual(['out.webm']);
    expect(await readFile(target, 'utf8')).toBe('new');
  });

  it('adopts the moved file even when another .part appeared under the name since', async () => {
    const intent = await finishedPart('new');
    await rename(part, target);
    await writeFile(part, 'someone else');
    const r = await settleRecordedCommit(part, target, intent, 'rename', await none());
    expect(r?.recovered).toBe('adopted');
    expect(await readFile(part, 'utf8')).toBe('someone else');
  });

  it("'rename': a recorded name taken meanwhile by another file gets the next free name", async () => {
    const intent = await finishedPart('new');
    await writeFile(target, 'another file');
    const announced: string[] = [];
    const r = await settleRecordedCommit(part, target, intent, 'rename', await none(), (p) => {
      announced.push(p);
      return Promise.resolve();
    });
    const next = join(dir.path, 'out (1).webm');
    expect(r).toMatchObject({ path: next, recovered: 'finished' });
    expect(announced).toEqual([next]);
    expect(await readFile(target, 'utf8')).toBe('another file');
    expect(await readFile(next, 'utf8')).toBe('new');
  });

  it("'overwrite': an older file at the name is replaced by the complete .part", async () => {
    await writeFile(target, 'an older conversion');
    const intent = await finishedPart('new');
    const r = await settleRecordedCommit(part, target, intent, 'overwrite', await none());
    expect(r).toMatchObject({ path: target, recovered: 'finished' });
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir.path)).toEqual(['out.webm']);
  });

  it("'overwrite': with the .part gone, an older file at the name is not taken for ours", async () => {
    await writeFile(target, 'older');
    const intent = await finishedPart('new');
    await rm(part); // the .part vanished (removed by hand) without the move happening
    const r = await settleRecordedCommit(part, target, intent, 'overwrite', await none());
    expect(r).toBeNull();
    expect(await readFile(target, 'utf8')).toBe('older');
  });

  it("'skip': a recorded name taken meanwhile keeps the other file and drops the .part", async () => {
    const intent = await finishedPart('new');
    await writeFile(target, 'another file');
    const r = await settleRecordedCommit(part, target, intent, 'skip', await none());
    expect(r).toMatchObject({ path: target, skipped: true, bytes: 0, recovered: 'finished' });
    expect(await readdir(dir.path)).toEqual(['out.webm']);
    expect(await readFile(target, 'utf8')).toBe('another file');
  });

  it('a .part that is not the recorded one (size) and no final file: download again', async () => {
    const intent = await finishedPart('new');
    await writeFile(part, 'ne');
    expect(await settleRecordedCommit(part, target, intent, 'rename', await none())).toBeNull();
    expect(await readdir(dir.path)).toEqual(['out.webm.part']);
  });

  it('nothing left of it at all: download again', async () => {
    const intent: CommitIntent = { path: target, bytes: 3 };
    expect(await settleRecordedCommit(part, target, intent, 'rename', await none())).toBeNull();
  });

  it('never adopts a protected file (the source)', async () => {
    const source = join(dir.path, 'source.webm');
    await writeFile(source, 'src');
    const facts = await fileFacts(source);
    const intent: CommitIntent = { path: source, bytes: 3, identity: facts?.identity ?? '' };
    const r = await settleRecordedCommit(
      part,
      source,
      intent,
      'overwrite',
      await ProtectedSet.of([source]),
    );
    expect(r).toBeNull();
    expect(await readFile(source, 'utf8')).toBe('src');
  });

  it('a throwing announcement moves nothing', async () => {
    const intent = await finishedPart('new');
    const e = await settleRecordedCommit(part, target, intent, 'rename', await none(), () =>
      Promise.reject(new Error('journal write failed')),
    ).catch((x: unknown) => x);
    expect((e as Error).message).toBe('journal write failed');
    expect(await readdir(dir.path)).toEqual(['out.webm.part']);
  });
});

/**
 * The history store over real files in a temp folder: what was recorded is there after a
 * reopen, a torn last line (a crash mid-append) is dropped and cut off, the bound prunes the
 * oldest, search and paging answer newest first, and clear / remove survive a reopen.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryEntry } from '../../../../../shared/history';
import { openHistory, type HistoryStore } from '../../../../../electron/core/history/historyStore';
import { HISTORY_FILE, headerLine } from '../../../../../electron/core/history/historyFile';
import { createLogger } from '../../../../../shared/redact';
import { tempDir } from '../../../../support/media';

let dir: { path: string; cleanup(): Promise<void> };
let open: HistoryStore[] = [];
let logLines: string[] = [];
const logger = createLogger('history', (_level, line) => void logLines.push(line));

beforeEach(async () => {
  dir = await tempDir('history-');
  open = [];
  logLines = [];
});
afterEach(async () => {
  for (const store of open) await store.close();
  await dir.cleanup();
});

async function openStore(maxEntries?: number): Promise<HistoryStore> {
  const store = await openHistory({ dataDir: dir.path, maxEntries, logger });
  open.push(store);
  return store;
}

let n = 0;
function entry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  n++;
  return {
    id: `entry-${n}`,
    jobId: `job-${n}`,
    status: 'done',
    sourcePath: `/media/clip${n}.mp4`,
    sourceName: `clip${n}.mp4`,
    sourceSize: 1000 + n,
    presetId: 'webm-vp9',
    presetName: 'MP4 → WebM',
    ranOn: { local: true, profileId: 'local', label: 'this computer' },
    outputPaths: [`/media/clip${n}-webm.webm`],
    outputBytes: 500 + n,
    startedAt: 1_000_000 + n * 10,
    finishedAt: 1_000_000 + n * 10 + 5,
    tookMs: 5,
    reason: null,
    ...over,
  };
}

const file = () => join(dir.path, HISTORY_FILE);

describe('the history store', () => {
  it('keeps what was recorded across a reopen, newest first, each finish once', async () => {
    const store = await openStore();
    expect(store.fresh).toBe(true);
    const a = entry();
    const b = entry({
      status: 'failed',
      outputPaths: [],
      outputBytes: null,
      reason: 'ffmpeg said no',
    });
    store.record(a);
    store.record(b);
    store.record({ ...a, id: 'same-finish-again' });
    await store.close();

    const text = await readFile(file(), 'utf8');
    expect(text.split('\n')[0]).toBe(headerLine());
    expect(text.endsWith('\n')).toBe(true);
    expect((await stat(file())).mode & 0o777).toBe(0o600);

    const again = await openStore();
    expect(again.fresh).toBe(false);
    const page = again.search({ offset: 0, limit: 10 });
    expect(page.entries.map((e) => e.id)).toEqual([b.id, a.id]);
    expect(page.entries[0]).toEqual(b);
    expect(page.total).toBe(2);
  });

  it('drops a torn last line, cuts it off, and appends cleanly after it', async () => {
    const store = await openStore();
    const a = entry();
    store.record(a);
    await store.close();
    // A crash in the middle of appending the next line.
    const torn = JSON.stringify(entry()).slice(0, 40);
    await appendFile(file(), torn);

    const again = await openStore();
    expect(again.search({ offset: 0, limit: 10 }).entries.map((e) => e.id)).toEqual([a.id]);
    expect(logLines.join('\n')).toMatch(/last line was cut short \(40 bytes/);
    const c = entry();
    again.record(c);
    await again.close();

    const third = await openStore();
    expect(third.search({ offset: 0, limit: 10 }).entries.map((e) => e.id)).toEqual([c.id, a.id]);
    // Every line of the file is whole JSON again.
    const lines = (await readFile(file(), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('keeps the newest entries only, and rewrites the file once a tenth more arrived', async () => {
    const store = await openStore(20);
    const all = Array.from({ length: 21 }, () => entry());
    // The first write creates the file; the rest are appended.
    store.record(all[0]!);
    await store.flush();
    for (const e of all.slice(1)) store.record(e);
    await store.flush();
    // 21 < 20 + 2: appended, not yet pruned.
    expect(store.size()).toBe(21);
    store.record(entry());
    await store.flush();
    expect(store.size()).toBe(20);
    const lines = (await readFile(file(), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(21);
    await store.close();

    const again = await openStore(20);
    const kept = again.search({ offset: 0, limit: 100 }).entries;
    expect(kept).toHaveLength(20);
    // The two oldest went.
    expect(kept.map((e) => e.id)).not.toContain(all[0]!.id);
    expect(kept.map((e) => e.id)).not.toContain(all[1]!.id);
    expect(kept.at(-1)!.id).toBe(all[2]!.id);
  });

  it('a file over the bound (a smaller limit now) is pruned when opened', async () => {
    const store = await openStore();
    for (let i = 0; i < 30; i++) store.record(entry());
    await store.close();
    const small = await openStore(10);
    await small.flush();
    expect(small.size()).toBe(10);
    expect((await readFile(file(), 'utf8')).trimEnd().split('\n')).toHaveLength(11);
  });

  it('searches names, presets and status, pages newest first', async () => {
    const store = await openStore();
    const made: HistoryEntry[] = [];
    for (let i = 0; i < 12; i++)
      made.push(
        entry(
          i % 3 === 0
            ? { sourceName: `Holiday-${i}.MOV`, presetId: 'gif', presetName: 'Video → GIF' }
            : i % 3 === 1
              ? { status: 'failed', outputPaths: [], outputBytes: null, reason: 'no' }
              : {},
        ),
      );
    for (const e of made) store.record(e);

    const gifs = store.search({ text: 'gif', offset: 0, limit: 50 });
    expect(gifs.matching).toBe(4);
    expect(gifs.entries.map((e) => e.sourceName)).toEqual([
      'Holiday-9.MOV',
      'Holiday-6.MOV',
      'Holiday-3.MOV',
      'Holiday-0.MOV',
    ]);
    // Words in any order and case, all of them.
    expect(store.search({ text: 'MOV holiday-6', offset: 0, limit: 50 }).matching).toBe(1);
    // An output's name matches too.
    const out = made[2]!.outputPaths[0]!.split('/').pop()!;
    expect(store.search({ text: out, offset: 0, limit: 50 }).entries[0]!.id).toBe(made[2]!.id);

    const failed = store.search({ status: 'failed', offset: 0, limit: 2 });
    expect(failed.matching).toBe(4);
    expect(failed.entries.map((e) => e.id)).toEqual([made[10]!.id, made[7]!.id]);
    const next = store.search({ status: 'failed', offset: 2, limit: 2 });
    expect(next.entries.map((e) => e.id)).toEqual([made[4]!.id, made[1]!.id]);
    expect(store.search({ text: 'nothing-like-this', offset: 0, limit: 5 }).matching).toBe(0);
    // A page never holds more than the cap, whatever is asked.
    for (let i = 0; i < 250; i++) store.record(entry());
    expect(store.search({ offset: 0, limit: 10_000 }).entries).toHaveLength(200);
  });

  it('a late finish (recorded after newer ones) takes its place by time', async () => {
    const store = await openStore();
    const newer = entry({ finishedAt: 2_000_000 });
    const older = entry({ finishedAt: 1_500_000 });
    store.record(newer);
    store.record(older);
    expect(store.search({ offset: 0, limit: 5 }).entries.map((e) => e.id)).toEqual([
      newer.id,
      older.id,
    ]);
  });

  it('says which outputs are still on disk', async () => {
    const store = await openStore();
    const kept = join(dir.path, 'kept.webm');
    await writeFile(kept, 'x');
    const e = entry({ outputPaths: [kept, join(dir.path, 'deleted.webm')] });
    store.record(e);
    const page = await store.page({ offset: 0, limit: 5 });
    expect(page.entries[0]!.outputsExist).toEqual([true, false]);
  });

  it('clear and remove are on disk, and cleared entries stay cleared', async () => {
    const store = await openStore();
    const a = entry();
    const b = entry();
    store.record(a);
    store.record(b);
    expect(await store.remove(a.id)).toBe(true);
    expect(await store.remove('no-such-entry')).toBe(false);
    await store.close();
    const again = await openStore();
    expect(again.search({ offset: 0, limit: 5 }).entries.map((e) => e.id)).toEqual([b.id]);
    await again.clear();
    await again.close();
    const third = await openStore();
    expect(third.size()).toBe(0);
    // An emptied history is not a new one: the queue does not seed it again.
    expect(third.fresh).toBe(false);
    expect(await readFile(file(), 'utf8')).toBe(`${headerLine()}\n`);
  });

  it('leaves out unreadable lines (copying the file aside) and keeps a newer format aside', async () => {
    const good = entry();
    await writeFile(
      file(),
      [headerLine(), JSON.stringify(good), '{"id":"half an entry"}', 'not json', ''].join('\n'),
    );
    const store = await openStore();
    expect(store.search({ offset: 0, limit: 5 }).entries.map((e) => e.id)).toEqual([good.id]);
    await store.close();
    expect(
      (await readdir(dir.path)).some((f) => f.startsWith(`${HISTORY_FILE}.partly-unreadable-`)),
    ).toBe(true);
    expect((await readFile(file(), 'utf8')).trimEnd().split('\n')).toHaveLength(2);

    await writeFile(file(), `${JSON.stringify({ format: 'renderio-history', version: 99 })}\n`);
    const newer = await openStore();
    expect(newer.size()).toBe(0);
    expect((await readdir(dir.path)).some((f) => f.startsWith(`${HISTORY_FILE}.newer-`))).toBe(
      true,
    );
    expect(logLines.join('\n')).toMatch(/written by a newer RenderIO Desktop \(format 99/);
  });
});

/**
 * downloadToFile's commit intent: beforeCommit hears the final path (collision resolved) once
 * the .part is complete and before it is moved; a throwing hook leaves the complete .part and no
 * final file; a recordedCommit is settled (finished or adopted) without downloading again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { downloadToFile, partPathFor, type CommitIntent } from '../../../electron/core/transfers';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { startRecordingServer, type RecordingServer } from '../../support/recordingServer';
import { tempDir } from '../../support/media';

let storage: RecordingServer;
let tmp: { path: string; cleanup(): Promise<void> };
const data = randomBytes(256 * 1024 + 3);

beforeEach(async () => {
  storage = await startRecordingServer((_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-length': data.length });
    res.end(data);
  });
  tmp = await tempDir('download-commit-');
});
afterEach(async () => {
  await storage.close();
  await tmp.cleanup();
});

const names = async (): Promise<string[]> => (await readdir(tmp.path)).sort();

describe('downloadToFile beforeCommit', () => {
  it('is called with the final path (collision resolved) after the .part is complete, before the move', async () => {
    await writeFile(join(tmp.path, 'clip.webm'), 'already there');
    const seen: { intent: CommitIntent; entries: string[]; partSize: number }[] = [];
    const r = await downloadToFile({
      url: `${storage.url}/s`,
      fetch: undiciFetch,
      dir: tmp.path,
      fileName: 'clip.webm',
      beforeCommit: async (intent) => {
        seen.push({
          intent,
          entries: await names(),
          partSize: (await stat(partPathFor(tmp.path, 'clip.webm'))).size,
        });
      },
    });
    const final = join(tmp.path, 'clip (1).webm');
    expect(r.path).toBe(final);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      intent: { path: final, bytes: data.length },
      entries: ['clip.webm', 'clip.webm.part'],
      partSize: data.length,
    });
    // The identity recorded is the file's: the move keeps it.
    const s = await stat(final, { bigint: true });
    expect(seen[0]!.intent.identity).toBe(`${s.dev}:${s.ino}`);
    expect(await names()).toEqual(['clip (1).webm', 'clip.webm']);
  });

  it('a hook that throws leaves the complete .part and no final file; the recorded intent then finishes without a request', async () => {
    let recorded: CommitIntent | undefined;
    const e = await downloadToFile({
      url: `${storage.url}/s`,
      fetch: undiciFetch,
      dir: tmp.path,
      fileName: 'out.webm',
      beforeCommit: (intent) => {
        recorded = intent;
        return Promise.reject(new Error('journal unavailable'));
      },
    }).catch((x: unknown) => x);
    expect((e as Error).message).toBe('journal unavailable');
    expect(await names()).toEqual(['out.webm.part']);
    expect((await readFile(partPathFor(tmp.path, 'out.webm'))).equals(data)).toBe(true);
    expect(storage.requests).toHaveLength(1);

    const announced: string[] = [];
    const r = await downloadToFile({
      url: `${storage.url}/s`,
      fetch: undiciFetch,
      dir: tmp.path,
      fileName: 'out.webm',
      resumeExisting: true,
      recordedCommit: recorded!,
      beforeCommit: (intent) => {
        announced.push(intent.path);
        return Promise.resolve();
      },
    });
    expect(r).toMatchObject({
      path: join(tmp.path, 'out.webm'),
      bytes: data.length,
      skipped: false,
      recovered: 'finished',
    });
    expect(announced).toEqual([join(tmp.path, 'out.webm')]);
    expect(storage.requests).toHaveLength(1);
    expect(await names()).toEqual(['out.webm']);
  });

  it('a recorded intent whose move happened is adopted, never downloaded into "name (1)"', async () => {
    let recorded: CommitIntent | undefined;
    await downloadToFile({
      url: `${storage.url}/s`,
      fetch: undiciFetch,
      dir: tmp.path,
      fileName: 'out.webm',
      beforeCommit: (intent) => {
        recorded = intent;
        return Promise.resolve();
      },
    });
    // The crash came after the move, before the result was saved: the same call again.
    for (const collision of ['rename', 'skip', 'overwrite'] as const) {
      const r = await downloadToFile({
        url: `${storage.url}/s`,
        fetch: undiciFetch,
        dir: tmp.path,
        fileName: 'out.webm',
        collision,
        resumeExisting: true,
        recordedCommit: recorded!,
      });
      expect(r).toMatchObject({ path: join(tmp.path, 'out.webm'), recovered: 'adopted' });
    }
    expect(storage.requests).toHaveLength(1);
    expect(await names()).toEqual(['out.webm']);
  });

  it('a recorded intent with nothing left of it downloads again', async () => {
    const r = await downloadToFile({
      url: `${storage.url}/s`,
      fetch: undiciFetch,
      dir: tmp.path,
      fileName: 'out.webm',
      recordedCommit: { path: join(tmp.path, 'out.webm'), bytes: data.length },
    });
    expect(r.recovered).toBeUndefined();
    expect((await readFile(r.path)).equals(data)).toBe(true);
    expect(storage.requests).toHaveLength(1);
  });

  it("'overwrite' with an older file at the name and the .part gone: downloads and replaces it", async () => {
    const final = join(tmp.path, 'out.webm');
    await writeFile(final, 'an older conversion');
    const r = await downloadToFile({
      url: `${storage.url}/s`,
      fetch: undiciFetch,
      dir: tmp.path,
      fileName: 'out.webm',
      collision: 'overwrite',
      recordedCommit: { path: final, bytes: data.length, identity: '1:1' },
    });
    expect(r.path).toBe(final);
    expect((await readFile(final)).equals(data)).toBe(true);
    expect(storage.requests).toHaveLength(1);
  });
});

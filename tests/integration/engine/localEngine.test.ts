/**
 * The app's own engine (startLocalEngine): what it takes that a shared server's defaults
 * would refuse. Real engines on 127.0.0.1; the upload's head is sent, its body never is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openAsBlob } from 'node:fs';
import { DEFAULTS, resolveConfig } from '../../../engine/config';
import { freeBytes } from '../../../engine/storage/diskSpace';
import { startEngine, type EngineHandle } from '../../../engine/index';
import {
  LOCAL_COMMAND_TIMEOUT_MS,
  LOCAL_ENGINE_OPTIONS,
  newLocalEngineKey,
  startLocalEngine,
} from '../../../engine/localEngine';
import type { CommandObject, StoredFile } from '../../../shared/renderioApi';
import { makeVideo, tempDir } from '../../support/media';
import { askToUpload } from './engineHarness';

let engine: EngineHandle | null = null;
let tmp: { path: string; cleanup(): Promise<void> } | null = null;
afterEach(async () => {
  await engine?.close();
  await tmp?.cleanup();
  engine = tmp = null;
});

describe("the app's own engine", () => {
  it('takes an upload larger than a shared server would (11 GiB): only the disk limits it', async () => {
    const size = 11 * 1024 ** 3;
    expect(size).toBeGreaterThan(DEFAULTS.uploadLimitBytes);
    tmp = await tempDir('renderio-local-engine-');
    const key = newLocalEngineKey();
    engine = await startEngine({ dataDir: `${tmp.path}/shared`, port: 0, apiKeys: [key] });
    expect(await askToUpload(engine.url, key, size)).toBe(413);
    await engine.close();

    const started = await startLocalEngine({ dataDir: `${tmp.path}/local` });
    engine = started.handle;
    // Past the size limit, the disk is the one judge (checked from the head too, before the
    // go-ahead): 100 where 11 GiB fit, 507 where they do not; never 413.
    const fits = (await freeBytes(`${tmp.path}/local`)) >= size + DEFAULTS.keepFreeBytes;
    expect(await askToUpload(started.link.url, started.link.key, size)).toBe(fits ? 100 : 507);
  });

  it("gives a command a week, not a shared server's hour, and that week is a timer Node keeps", async () => {
    // A film to AV1 on a laptop runs for hours. setTimeout fires at once past 2^31 − 1 ms: a
    // limit beyond it would stop every command the moment it starts.
    expect(LOCAL_COMMAND_TIMEOUT_MS).toBeGreaterThanOrEqual(24 * DEFAULTS.commandTimeoutMs);
    expect(LOCAL_COMMAND_TIMEOUT_MS).toBeLessThan(2 ** 31);
    // And it is what the app's engine runs with (a real command below proves it keeps running).
    expect(resolveConfig({ dataDir: 'x', ...LOCAL_ENGINE_OPTIONS }).commandTimeoutMs).toBe(
      LOCAL_COMMAND_TIMEOUT_MS,
    );
    tmp = await tempDir('renderio-local-engine-');
    const started = await startLocalEngine({ dataDir: `${tmp.path}/local` });
    engine = started.handle;
    const { url, key } = started.link;
    const headers = { 'X-API-KEY': key };
    const form = new FormData();
    form.append('file', await openAsBlob(await makeVideo(tmp.path, 'clip.mp4')), 'clip.mp4');
    const { file_id } = (await (
      await fetch(`${url}/api/v1/files/upload`, { method: 'POST', headers, body: form })
    ).json()) as { file_id: string };
    const stored = (await (
      await fetch(`${url}/api/v1/files/${file_id}?wait_ms=10000`, { headers })
    ).json()) as StoredFile;
    const { command_id } = (await (
      await fetch(`${url}/api/v1/run-ffmpeg-command`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          input_files: { in_v: stored.storage_url },
          output_files: { out_v: 'copy.mp4' },
          ffmpeg_command: '-i {{in_v}} -c copy {{out_v}}',
        }),
      })
    ).json()) as { command_id: string };
    let command: CommandObject;
    do {
      command = (await (
        await fetch(`${url}/api/v1/commands/${command_id}?wait_ms=5000`, { headers })
      ).json()) as CommandObject;
    } while (command.status === 'QUEUED' || command.status === 'PROCESSING');
    expect(command.error_status).toBeNull();
    expect(command.status).toBe('SUCCESS');
  });

  it('does not ration its one caller: 200 requests at once all answered, where a shared engine says 429', async () => {
    tmp = await tempDir('renderio-local-engine-');
    const burst = (url: string, key: string) =>
      Promise.all(
        Array.from({ length: 200 }, () =>
          fetch(`${url}/api/v1/commands?limit=1`, { headers: { 'X-API-KEY': key } }).then(
            async (res) => (await res.arrayBuffer(), res.status),
          ),
        ),
      );
    const key = newLocalEngineKey();
    engine = await startEngine({ dataDir: `${tmp.path}/shared`, port: 0, apiKeys: [key] });
    expect((await burst(engine.url, key)).filter((s) => s === 429).length).toBeGreaterThan(0);
    await engine.close();

    const started = await startLocalEngine({ dataDir: `${tmp.path}/local` });
    engine = started.handle;
    const statuses = await burst(started.link.url, started.link.key);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });
});

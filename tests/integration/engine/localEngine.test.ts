/**
 * The app's own engine (startLocalEngine): what it takes that a shared server's defaults
 * would refuse. Real engines on 127.0.0.1; the upload's head is sent, its body never is.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../engine/config';
import { startEngine, type EngineHandle } from '../../../engine/index';
import { newLocalEngineKey, startLocalEngine } from '../../../engine/localEngine';
import { tempDir } from '../../support/media';

let engine: EngineHandle | null = null;
let tmp: { path: string; cleanup(): Promise<void> } | null = null;
afterEach(async () => {
  await engine?.close();
  await tmp?.cleanup();
  engine = tmp = null;
});

/**
 * Sends only the head of an upload declaring `bytes`, with `Expect: 100-continue`: the engine
 * answers 100 once everything the head decides (the size limit among it) has passed, or its
 * refusal at once. The body is never sent.
 */
function askToUpload(url: string, key: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/files/upload`, {
      method: 'POST',
      headers: {
        'X-API-KEY': key,
        'Content-Type': 'multipart/form-data; boundary=x',
        'Content-Length': String(bytes),
        Expect: '100-continue',
      },
    });
    req.on('continue', () => {
      resolve(100);
      req.destroy();
    });
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    req.on('error', (error) => reject(error));
    req.flushHeaders();
  });
}

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
    expect(await askToUpload(started.link.url, started.link.key, size)).toBe(100);
  });
});

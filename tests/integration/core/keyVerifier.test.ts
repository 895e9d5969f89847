/**
 * The key verifier against a real HTTP server: one GET /api/v1/commands?limit=1 with the key,
 * and what each answer means. The transport is the one it is given (node:http here).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { createKeyVerifier } from '../../../electron/core/vault/keyVerifier';
import { startRecordingServer, type RecordingServer } from '../../support/recordingServer';

const newKey = () => `ffsk_${randomBytes(32).toString('hex')}`;

let api: RecordingServer;
beforeEach(async () => {
  api = await startRecordingServer();
});
afterEach(async () => {
  await api.close();
});

const answer = (status: number, body: string) =>
  api.handle((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });

describe('key verifier', () => {
  it('asks once with the key and reads 200 as valid, 401 and 403 as invalid', async () => {
    const verifier = createKeyVerifier({ fetch: undiciFetch });
    const key = newKey();
    answer(200, '{"commands":[],"limit":1,"offset":0}');
    expect(await verifier.verify(api.url, key)).toEqual({ result: 'valid' });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'GET', url: '/api/v1/commands?limit=1' });
    expect(api.requests[0]!.headers['x-api-key']).toBe(key);

    for (const status of [401, 403]) {
      answer(status, '{"detail":"Invalid or missing API key"}');
      const r = await verifier.verify(api.url, key);
      expect(r.result).toBe('invalid');
      if (r.result === 'invalid') expect(r.message).not.toContain(key.slice(5, 21));
    }
  });

  it('reads a server error or a rate limit as unverified, without trying again', async () => {
    const verifier = createKeyVerifier({ fetch: undiciFetch });
    for (const [status, headers] of [
      [503, {}],
      [429, { 'retry-after': '1' }],
    ] as const) {
      const before = api.requests.length;
      api.handle((_req, res) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{}');
      });
      expect(await verifier.verify(api.url, newKey())).toMatchObject({ result: 'unverified' });
      expect(api.requests.length - before).toBe(1);
    }
  });

  it('reads an unreachable address or a server that does not answer in time as unverified', async () => {
    const gone = api.url;
    await api.close();
    const verifier = createKeyVerifier({ fetch: undiciFetch, timeoutMs: 300 });
    const unreachable = await verifier.verify(gone, newKey());
    expect(unreachable).toMatchObject({ result: 'unverified', message: expect.any(String) });

    api = await startRecordingServer(() => undefined); // never answers
    const silent = await verifier.verify(api.url, newKey());
    expect(silent).toMatchObject({ result: 'unverified' });
    expect(api.requests).toHaveLength(1);
  });

  it('stops when the caller aborts', async () => {
    api.handle(() => undefined);
    const verifier = createKeyVerifier({ fetch: undiciFetch });
    const abort = new AbortController();
    const pending = verifier.verify(api.url, newKey(), abort.signal);
    while (api.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
  });
});

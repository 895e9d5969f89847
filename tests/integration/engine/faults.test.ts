/** Fault injection over HTTP: off by default, seeded and deterministic when on. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFile } from '../../../shared/renderioApi';
import type { FaultConfig } from '../../../engine/faults';
import { makeVideo } from '../../support/media';
import { startHarness, type Harness } from './engineHarness';

let h: Harness;
let file: StoredFile;

beforeAll(async () => {
  h = await startHarness();
  file = await h.uploadStored(await makeVideo(h.dir, 'clip.mp4'));
});

afterAll(() => h.cleanup());

/** A raw GET that reports how the body ended, which fetch would hide behind one error. */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  declared: number;
  received: number;
  ending: 'complete' | 'aborted' | 'error';
}> {
  return new Promise((resolve) => {
    const req = request(url, { headers: { ...headers, Connection: 'close' } }, (res) => {
      let received = 0;
      let done = false;
      const finish = (ending: 'complete' | 'aborted' | 'error') => {
        if (done) return;
        done = true;
        resolve({
          status: res.statusCode ?? 0,
          declared: Number(res.headers['content-length']),
          received,
          ending,
        });
      };
      res.on('data', (c: Buffer) => (received += c.length));
      res.on('end', () =>
        finish(received === Number(res.headers['content-length']) ? 'complete' : 'aborted'),
      );
      res.on('aborted', () => finish('aborted'));
      res.on('error', () => finish('error'));
      res.on('close', () =>
        finish(received === Number(res.headers['content-length']) ? 'complete' : 'aborted'),
      );
    });
    req.on('error', () => resolve({ status: 0, declared: 0, received: 0, ending: 'error' }));
    req.end();
  });
}

async function statuses(config: FaultConfig, n: number): Promise<number[]> {
  h.engine.setFaults(config);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await h.api('/api/v1/commands?limit=1')).status);
  h.engine.setFaults(undefined);
  return out;
}

describe('fault injection', () => {
  it('answers 500 and 502 with an HTML body', async () => {
    h.engine.setFaults({ seed: 1, rules: [{ route: 'GET /api/v1/commands', error502: 1 }] });
    const res = await h.api('/api/v1/commands');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<h1>502 Bad Gateway</h1>');
    h.engine.setFaults({ seed: 1, rules: [{ route: '* /api/v1/*', error500: 1 }] });
    const res500 = await h.api('/api/v1/files');
    expect(res500.status).toBe(500);
    expect(await res500.text()).toContain('500 Internal Server Error');
    h.engine.setFaults(undefined);
    expect((await h.api('/api/v1/files')).status).toBe(200);
  });

  it('is deterministic for a seed, and different seeds give different schedules', async () => {
    const config = (seed: number): FaultConfig => ({
      seed,
      rules: [{ route: 'GET /api/v1/commands', error500: 0.3, error502: 0.2 }],
    });
    const a = await statuses(config(42), 40);
    const b = await statuses(config(42), 40);
    const c = await statuses(config(7), 40);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toContain(200);
    expect(a.some((s) => s === 500 || s === 502)).toBe(true);
  });

  it('plays a 429 storm of the configured length with Retry-After', async () => {
    h.engine.setFaults({
      seed: 3,
      rules: [
        {
          route: 'GET /api/v1/commands',
          rateLimitStorm: { probability: 1, length: 3, retryAfterSeconds: 2 },
        },
      ],
    });
    const first = await h.api('/api/v1/commands');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(await first.json()).toEqual({ detail: 'Rate limit exceeded' });
    const seq = await statuses(
      {
        seed: 5,
        rules: [{ route: 'GET /api/v1/commands', rateLimitStorm: { probability: 0.1, length: 3 } }],
      },
      60,
    );
    // Every storm is three 429s in a row (unless cut off by the end of the sequence).
    const runs = seq
      .join(',')
      .split(/,?200,?/)
      .filter(Boolean)
      .map((r) => r.split(',').length);
    expect(runs.length).toBeGreaterThan(0);
    for (const len of runs.slice(0, -1)) expect(len % 3).toBe(0);
  });

  it('resets the connection in the middle of a JSON body', async () => {
    h.engine.setFaults({ seed: 9, rules: [{ route: 'GET /api/v1/files/*', resetMidBody: 1 }] });
    const r = await rawGet(`${h.engine.url}/api/v1/files/${file.file_id}`, { 'X-API-KEY': h.key });
    h.engine.setFaults(undefined);
    expect(r.status).toBe(200);
    expect(r.ending).not.toBe('complete');
    expect(r.received).toBeLessThan(r.declared);
  });

  it('truncates a download: half the promised bytes, then a clean close', async () => {
    h.engine.setFaults({ seed: 11, rules: [{ route: 'GET /storage/*', truncateDownload: 1 }] });
    const r = await rawGet(file.storage_url!);
    h.engine.setFaults(undefined);
    expect(r.status).toBe(200);
    expect(r.received).toBe(Math.floor(r.declared / 2));
    expect(r.ending).toBe('aborted');
    // Without faults the same URL downloads in full.
    const full = await rawGet(file.storage_url!);
    expect(full).toMatchObject({ status: 200, ending: 'complete' });
  });

  it('delays an answer when asked to be slow', async () => {
    h.engine.setFaults({
      seed: 1,
      rules: [{ route: '* *', slow: { probability: 1, delayMs: 300 } }],
    });
    const res = await h.api('/api/v1/commands?limit=1');
    h.engine.setFaults(undefined);
    expect(res.status).toBe(200);
    const entry = h.engine.requestLog.at(-1)!;
    expect(entry).toMatchObject({ method: 'GET', path: '/api/v1/commands', status: 200 });
  });
});

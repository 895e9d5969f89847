/** Webhook retries and switching off, against a real receiver (short retry delays). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../shared/redact';
import type { CommandObject } from '../../../shared/renderioApi';
import type { WebhookRecord } from '../../../engine/state/records';
import {
  MAX_CONSECUTIVE_FAILURES,
  WebhookDispatcher,
} from '../../../engine/webhooks/webhookDispatcher';

const logger = createLogger('test', () => undefined);
const command = { command_id: 'c1', status: 'SUCCESS' } as CommandObject;
let server: Server | null = null;

afterEach(async () => {
  if (server) await new Promise((r) => server!.close(r));
  server = null;
});

async function receiver(
  answer: (n: number) => number,
): Promise<{ url: string; bodies: string[]; signatures: (string | undefined)[] }> {
  const bodies: string[] = [];
  const signatures: (string | undefined)[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString());
      signatures.push(req.headers['x-webhook-signature'] as string | undefined);
      res.statusCode = answer(bodies.length);
      res.end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    signatures,
  };
}

function dispatcherFor(config: WebhookRecord) {
  let changes = 0;
  const d = new WebhookDispatcher({
    config: () => config,
    changed: () => changes++,
    logger,
    retryDelaysMs: [10, 20],
  });
  return { d, changes: () => changes };
}

describe('WebhookDispatcher', () => {
  it('retries a failed attempt with the same body and signature, then succeeds', async () => {
    const r = await receiver((n) => (n < 3 ? 503 : 200));
    const config: WebhookRecord = {
      url: r.url,
      secret: 'k',
      is_active: true,
      consecutive_failures: 2,
      disabled_at: null,
    };
    const { d } = dispatcherFor(config);
    d.deliver(command, null);
    await d.idle();
    expect(r.bodies).toHaveLength(3);
    expect(new Set(r.bodies).size).toBe(1);
    expect(new Set(r.signatures).size).toBe(1);
    expect(config.consecutive_failures).toBe(0);
    await d.close();
  });

  it(`switches the account webhook off after ${MAX_CONSECUTIVE_FAILURES} failed deliveries`, async () => {
    const r = await receiver(() => 500);
    const config: WebhookRecord = {
      url: r.url,
      secret: null,
      is_active: true,
      consecutive_failures: 0,
      disabled_at: null,
    };
    const { d } = dispatcherFor(config);
    for (let i = 0; i < MAX_CONSECUTIVE_FAILURES - 1; i++) {
      d.deliver(command, null);
      await d.idle();
    }
    expect(config).toMatchObject({
      is_active: true,
      consecutive_failures: MAX_CONSECUTIVE_FAILURES - 1,
    });
    d.deliver(command, null);
    await d.idle();
    expect(config.is_active).toBe(false);
    expect(config.consecutive_failures).toBe(MAX_CONSECUTIVE_FAILURES);
    expect(Date.parse(config.disabled_at ?? '')).not.toBeNaN();
    // 3 attempts per delivery; once off, nothing more is sent.
    expect(r.bodies).toHaveLength(MAX_CONSECUTIVE_FAILURES * 3);
    expect(r.signatures.every((s) => s === undefined)).toBe(true);
    d.deliver(command, null);
    await d.idle();
    expect(r.bodies).toHaveLength(MAX_CONSECUTIVE_FAILURES * 3);
    await d.close();
  });

  it('does not count per-command webhook failures against the account', async () => {
    const r = await receiver(() => 500);
    const config: WebhookRecord = {
      url: 'http://127.0.0.1:1/other',
      secret: null,
      is_active: true,
      consecutive_failures: 0,
      disabled_at: null,
    };
    const { d, changes } = dispatcherFor(config);
    d.deliver(command, r.url);
    await d.idle();
    expect(r.bodies).toHaveLength(3);
    expect(config.consecutive_failures).toBe(0);
    expect(changes()).toBe(0);
    await d.close();
  });
});

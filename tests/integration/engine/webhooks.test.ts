/** Webhooks: config put/get/delete and signed delivery to a real receiver. */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFile, WebhookDelivery } from '../../../shared/renderioApi';
import { makeVideo } from '../../support/media';
import { startHarness, type Harness } from './engineHarness';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

let h: Harness;
let input: StoredFile;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const waiters: (() => void)[] = [];

beforeAll(async () => {
  h = await startHarness();
  input = await h.uploadStored(await makeVideo(h.dir, 'clip.mp4'));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      res.end('ok');
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await h.cleanup();
  await new Promise((r) => receiver.close(r));
});

async function nextDelivery(path: string): Promise<Received> {
  for (;;) {
    const hit = received.find((r) => r.path === path);
    if (hit) return hit;
    await new Promise<void>((r) => waiters.push(r));
  }
}

describe('webhook config', () => {
  it('puts, gets (never the secret) and deletes', async () => {
    expect((await h.json('/api/v1/webhook-config')).body).toEqual({ configured: false });
    const put = await h.json('/api/v1/webhook-config', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: `${receiverUrl}/cfg`, secret: 's3cret' }),
    });
    expect(put).toMatchObject({ status: 200, body: { success: true, url: `${receiverUrl}/cfg` } });
    const got = await h.json('/api/v1/webhook-config');
    expect(got.body).toEqual({
      configured: true,
      url: `${receiverUrl}/cfg`,
      is_active: true,
      consecutive_failures: 0,
      disabled_at: null,
    });
    expect(JSON.stringify(got.body)).not.toContain('s3cret');
    expect((await h.json('/api/v1/webhook-config', { method: 'DELETE' })).body).toEqual({
      success: true,
    });
    expect((await h.json('/api/v1/webhook-config')).body).toEqual({ configured: false });
  });

  it('refuses a URL that is not http(s)', async () => {
    const { status, body } = await h.json('/api/v1/webhook-config', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: 'file:///tmp/hook' }),
    });
    expect(status).toBe(422);
    expect(body).toEqual({
      detail: [
        {
          loc: ['url'],
          msg: 'url must be an http(s) URL; the "file:" scheme is not accepted',
          type: 'value_error',
        },
      ],
    });
  });
});

describe('delivery', () => {
  it('posts {data, timestamp} signed with the secret when a command ends', async () => {
    const secret = 'whsec-test-secret';
    await h.json('/api/v1/webhook-config', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: `${receiverUrl}/account`, secret }),
    });
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_v: input.storage_url },
      output_files: { out_a: 'hook.mp3' },
      ffmpeg_command: '-i {{in_v}} -vn {{out_a}}',
      metadata: { client_job_id: 'w1' },
    });
    const hit = await nextDelivery('/account');
    expect(hit.headers['user-agent']).toBe('RenderIO-Webhook/1.0');
    expect(hit.headers['content-type']).toBe('application/json');
    const expected = createHmac('sha256', secret).update(hit.raw).digest('hex');
    expect(hit.headers['x-webhook-signature']).toBe(expected);
    const delivery = JSON.parse(hit.raw) as WebhookDelivery;
    expect(Object.keys(delivery).sort()).toEqual(['data', 'timestamp']);
    expect(delivery.timestamp).toBeGreaterThan(Date.now() - 60_000);
    expect(delivery.data).toMatchObject({
      command_id: body.command_id,
      status: 'SUCCESS',
      metadata: { client_job_id: 'w1' },
    });
    expect(delivery.data.output_files.out_a?.storage_url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/storage\//,
    );
    // The poll says the same.
    expect((await h.waitCommand(body.command_id)).status).toBe('SUCCESS');
  });

  it('sends to a per-command webhook_url, signed with the account secret, for failures too', async () => {
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_v: input.storage_url },
      output_files: { out_a: 'never.mp3' },
      // ffmpeg itself fails (an unknown encoder would be refused before it runs).
      ffmpeg_command: '-i {{in_v}} -map 0:s:0 {{out_a}}',
      webhook_url: `${receiverUrl}/per-command`,
    });
    const hit = await nextDelivery('/per-command');
    const delivery = JSON.parse(hit.raw) as WebhookDelivery;
    expect(delivery.data).toMatchObject({
      command_id: body.command_id,
      status: 'FAILED',
      error_status: 'FFMPEG_ERROR',
    });
    expect(hit.headers['x-webhook-signature']).toBe(
      createHmac('sha256', 'whsec-test-secret').update(hit.raw).digest('hex'),
    );
  });
});

/**
 * undiciFetch (the CLI's transport) over https with real TLS on 127.0.0.1, with the
 * certificates of tests/fixtures/tls (see its README). A certificate nothing trusts is refused
 * before a byte of the request (and so before any header, the API key among them) leaves the
 * process. Trust in the test CA can only be given at start-up (NODE_EXTRA_CA_CERTS), so the
 * trusted path runs in a child (tests/support/tlsFetchChild.ts) against a server of this
 * process: JSON, a streamed upload, a download, keep-alive, a RenderioClient call, and a
 * refused connection by a host name the certificate does not carry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createServer as createHttpsServer,
  request as httpsRequest,
  type Server as HttpsServer,
} from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  createServer as createTlsServer,
  type Server as TlsServer,
  type TLSSocket,
} from 'node:tls';
import { RenderioClient, RenderioError, forgetGate } from '../../../electron/core/client';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import type { TlsChildReport, TlsChildSpec } from '../../support/tlsFetchChild';
import { digestRequest } from '../../support/requestDigest';

const ROOT = join(import.meta.dirname, '../../..');
const TLS = join(ROOT, 'tests/fixtures/tls');
const CHILD = join(ROOT, 'tests/support/tlsFetchChild.ts');
const read = (name: string): Buffer => readFileSync(join(TLS, name));
/** Signed by the test CA, for IP:127.0.0.1 only. */
const TRUSTED = { cert: read('server.crt'), key: read('server.key') };
/** Self-signed, trusted by no one. */
const SELF_SIGNED = { cert: read('self-signed.crt'), key: read('self-signed.key') };

const M = { redirect: 'manual' } as const;
const MiB = 1024 * 1024;
const newKey = (): string => `ffsk_${randomBytes(32).toString('hex')}`;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

// The errors OpenSSL gives for a certificate it cannot trust.
const CERTIFICATE_ERRORS = [
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
];

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An https server on 127.0.0.1:0 with `tls`, counting the requests it received; closed after the test. */
async function serveHttps(
  tls: { cert: Buffer; key: Buffer },
  handler: Handler = (_req, res) => res.end('ok'),
): Promise<{ port: number; requests: () => number }> {
  let requests = 0;
  const server: HttpsServer = createHttpsServer(tls, (req, res) => {
    requests++;
    handler(req, res);
  });
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, requests: () => requests };
}

/**
 * A raw TLS server with the self-signed certificate that keeps every byte it decrypts: what a
 * client would have sent once it trusted the connection.
 */
async function serveRawTls(): Promise<{ port: number; received: () => Buffer }> {
  const chunks: Buffer[] = [];
  const sockets = new Set<TLSSocket>();
  const server: TlsServer = createTlsServer(SELF_SIGNED, (socket) => {
    sockets.add(socket);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received: () => Buffer.concat(chunks) };
}

/** What fetch's rejection carries: TypeError('fetch failed') with the Node error as cause. */
async function fetchFailure(url: string): Promise<NodeJS.ErrnoException> {
  const e = await undiciFetch(url, {
    ...M,
    headers: { 'x-api-key': 'ffsk_notsentnotsentnotsent' },
  }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(TypeError);
  expect((e as TypeError).message).toBe('fetch failed');
  return (e as TypeError).cause as NodeJS.ErrnoException;
}

describe('undiciFetch over https: a certificate nothing trusts', () => {
  it('refuses a self-signed certificate, and the server receives no request', async () => {
    const server = await serveHttps(SELF_SIGNED);
    const cause = await fetchFailure(`https://127.0.0.1:${server.port}/x`);
    expect(cause.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(server.requests()).toBe(0);
  });

  it("refuses the test CA's certificate too, where the CA was not given at start-up", async () => {
    const server = await serveHttps(TRUSTED);
    const cause = await fetchFailure(`https://127.0.0.1:${server.port}/x`);
    expect(CERTIFICATE_ERRORS).toContain(cause.code);
    expect(server.requests()).toBe(0);
  });

  it('sends not one byte of the request: the server decrypts nothing', async () => {
    const server = await serveRawTls();
    const cause = await fetchFailure(`https://127.0.0.1:${server.port}/x`);
    expect(cause.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    // Give any byte in flight the time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.received().length).toBe(0);

    // The control: a client that does not check the certificate gets its headers there.
    const request = httpsRequest(`https://127.0.0.1:${server.port}/x`, {
      rejectUnauthorized: false,
      agent: false,
      headers: { 'x-api-key': 'ffsk_controlcontrolcontrol' },
    });
    request.on('error', () => undefined);
    request.end();
    await expect.poll(() => server.received().toString()).toContain('ffsk_controlcontrol');
    request.destroy();
  });

  it("through RenderioClient: a 'tls' error without the key, and the key never sent", async () => {
    const key = newKey();
    const server = await serveRawTls();
    const https = await serveHttps(SELF_SIGNED);
    try {
      for (const port of [server.port, https.port]) {
        const client = new RenderioClient({
          baseUrl: `https://127.0.0.1:${port}`,
          withKey: (fn) => fn(key),
          fetch: undiciFetch,
          retry: { attempts: 1 },
        });
        const e = await client.listCommands({ limit: 1 }).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(RenderioError);
        const error = e as RenderioError;
        // Not 'network': waiting does not heal an untrusted certificate (a few tries, not offline).
        expect(error.kind).toBe('tls');
        expect(error.message).toBe(
          `Could not connect securely to https://127.0.0.1:${port}: its certificate is not trusted by this computer`,
        );
        expect(error.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
        const text = `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String(error.cause)}`;
        expect(text).not.toContain(key);
        expect(text).not.toContain(key.slice(5, 17));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.received().length).toBe(0);
      expect(https.requests()).toBe(0);
    } finally {
      forgetGate(key);
    }
  });
});

describe('undiciFetch over https: the test CA trusted (NODE_EXTRA_CA_CERTS, in a child)', () => {
  it('GETs JSON, streams an upload, downloads, keeps the socket, refuses localhost', async () => {
    const key = newKey();
    const download = randomBytes(4 * MiB + 321);
    const uploadBytes = 4 * MiB + 123;
    const seen: { method: string; url: string; host: string; apiKey: string | null }[] = [];
    const server = await serveHttps(TRUSTED, (req, res) => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        host: req.headers.host ?? '',
        apiKey: (req.headers['x-api-key'] as string | undefined) ?? null,
      });
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (req.url === '/json') return json(200, { hello: 'tls', n: 42 });
      if (req.url === '/who') return json(200, { port: req.socket.remotePort });
      if (req.url === '/download') {
        res.writeHead(200, { 'content-length': download.length }).end(download);
        return;
      }
      if (req.url === '/upload') {
        void digestRequest(req).then((digest) => json(200, digest));
        return;
      }
      if (req.url?.startsWith('/api/v1/commands')) {
        if (req.headers['x-api-key'] !== key) return json(401, { detail: 'bad key' });
        return json(200, { commands: [{ command_id: 'c-tls', status: 'SUCCESS' }], limit: 1 });
      }
      json(404, { detail: 'no such path' });
    });

    const { report, code, stderr } = await runChild(
      { port: server.port, key, uploadBytes },
      join(TLS, 'ca.crt'),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0); // and it ended by itself: no socket held it open

    expect(report.json).toEqual({
      ok: true,
      value: { status: 200, body: { hello: 'tls', n: 42 } },
    });

    expect(report.upload.ok).toBe(true);
    const upload = (report.upload as Extract<TlsChildReport['upload'], { ok: true }>).value;
    expect(upload.sentBytes).toBe(uploadBytes);
    expect(upload.answer).toEqual({
      sha: upload.sentSha,
      bytes: uploadBytes,
      length: String(uploadBytes),
      te: null,
    });

    expect(report.download).toEqual({
      ok: true,
      value: {
        sha: sha(download),
        bytes: download.length,
        length: String(download.length),
      },
    });

    expect(report.keepAlive.ok).toBe(true);
    const { ports } = (report.keepAlive as Extract<TlsChildReport['keepAlive'], { ok: true }>)
      .value;
    expect(ports).toHaveLength(2);
    expect(ports[1]).toBe(ports[0]);

    // Hostname checked: the CA is trusted, the name is not in the certificate.
    expect(report.localhost.ok).toBe(false);
    const refused = (report.localhost as Extract<TlsChildReport['localhost'], { ok: false }>).error;
    expect(refused).toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      causeCode: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(refused.causeMessage).toMatch(/localhost/);

    // A whole RenderioClient call over TLS, with its key arriving.
    expect(report.client).toEqual({ ok: true, value: { ids: ['c-tls'], limit: 1 } });

    const paths = seen.map((r) => `${r.method} ${r.url}`);
    expect(paths).toEqual([
      'GET /json',
      'POST /upload',
      'GET /download',
      'GET /who',
      'GET /who',
      'GET /api/v1/commands?limit=1',
    ]);
    // No request came by the refused name; the key went with the client's call only.
    expect(seen.every((r) => r.host === `127.0.0.1:${server.port}`)).toBe(true);
    expect(seen.map((r) => r.apiKey)).toEqual([null, null, null, null, null, key]);
  });
});

/** Runs the child with the test CA trusted; kills it if it outlives `timeoutMs`. */
function runChild(
  spec: TlsChildSpec,
  caFile: string,
  timeoutMs = 15_000,
): Promise<{ report: TlsChildReport; code: number | null; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: caFile };
  delete env.NODE_TLS_REJECT_UNAUTHORIZED;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(spec)], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    closers.push(async () => {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== null) {
        reject(new Error(`the child was killed (${signal}); stderr: ${stderr}`));
        return;
      }
      try {
        resolve({ report: JSON.parse(stdout) as TlsChildReport, code, stderr });
      } catch {
        reject(new Error(`the child printed no report (exit ${code}); stderr: ${stderr}`));
      }
    });
  });
}

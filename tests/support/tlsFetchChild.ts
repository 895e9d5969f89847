/**
 * The trusted half of tests/integration/core/undiciFetchTls.test.ts. Node reads extra CAs
 * only at start-up, so this runs in a child started with NODE_EXTRA_CA_CERTS naming the test CA
 * (tests/fixtures/tls/ca.crt), against the test's server on 127.0.0.1 with a certificate that CA
 * signed, and prints what it saw as one JSON line on stdout:
 *
 *   node --import tsx tests/support/tlsFetchChild.ts '{"port":1234,"key":"ffsk_...","uploadBytes":4194304}'
 *
 * Every step is settled on its own, so one failing step still reports the others.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { RenderioClient } from '../../electron/core/client';
import { undiciFetch } from '../../electron/core/client/undiciFetch';

export interface TlsChildSpec {
  port: number;
  /** The API key the RenderioClient step sends. */
  key: string;
  /** The size of the streamed upload. */
  uploadBytes: number;
}

export interface StepError {
  name: string;
  message: string;
  causeCode: string | null;
  causeMessage: string | null;
  kind: string | null;
}

export type Step<T> = { ok: true; value: T } | { ok: false; error: StepError };

export interface TlsChildReport {
  json: Step<{ status: number; body: unknown }>;
  upload: Step<{ sentSha: string; sentBytes: number; answer: unknown }>;
  download: Step<{ sha: string; bytes: number; length: string | null }>;
  keepAlive: Step<{ ports: number[] }>;
  localhost: Step<{ status: number }>;
  client: Step<{ ids: string[]; limit: number }>;
}

const M = { redirect: 'manual' } as const;

function describeError(error: unknown): StepError {
  const e = error as { name?: unknown; message?: unknown; cause?: unknown; kind?: unknown };
  // A RenderioError's cause is fetch's TypeError, whose cause is the Node error with the code.
  let cause = e?.cause as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  if (cause !== undefined && typeof cause.code !== 'string' && cause.cause !== undefined)
    cause = cause.cause as typeof cause;
  return {
    name: String(e?.name),
    message: String(e?.message),
    causeCode: typeof cause?.code === 'string' ? cause.code : null,
    causeMessage: typeof cause?.message === 'string' ? cause.message : null,
    kind: typeof e?.kind === 'string' ? e.kind : null,
  };
}

async function step<T>(fn: () => Promise<T>): Promise<Step<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/** `data` as a web stream of 64 KiB pieces, as the client's uploads are. */
function streamOf(data: Buffer): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) {
        controller.close();
        return;
      }
      const n = Math.min(64 * 1024, data.length - offset);
      controller.enqueue(new Uint8Array(data.buffer, data.byteOffset + offset, n));
      offset += n;
    },
  });
}

const spec = JSON.parse(process.argv[2] ?? '{}') as TlsChildSpec;
const base = `https://127.0.0.1:${spec.port}`;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const json = await step(async () => {
  const r = await undiciFetch(`${base}/json`, M);
  return { status: r.status, body: (await r.json()) as unknown };
});

const upload = await step(async () => {
  const data = randomBytes(spec.uploadBytes);
  const r = await undiciFetch(`${base}/upload`, {
    ...M,
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: streamOf(data),
    duplex: 'half',
    bodyLength: data.length,
  } as RequestInit);
  return { sentSha: sha(data), sentBytes: data.length, answer: (await r.json()) as unknown };
});

const download = await step(async () => {
  // An https download goes through undici (its downloadFetch reads only this computer's http).
  const r = await undiciFetch.downloadFetch!(`${base}/download`, M);
  const body = Buffer.from(await r.arrayBuffer());
  return { sha: sha(body), bytes: body.length, length: r.headers.get('content-length') };
});

// Two requests one after the other, with a turn of the event loop between them as a poll's wait
// gives (back to back, undici may open a second connection before it sees the first is free):
// the server answers with the port it saw them come from.
const keepAlive = await step(async () => {
  const ports: number[] = [];
  for (let i = 0; i < 2; i++) {
    await setImmediate();
    const r = await undiciFetch(`${base}/who`, M);
    ports.push(((await r.json()) as { port: number }).port);
  }
  return { ports };
});

// The same server and the same trusted CA, by a name its certificate does not carry.
const localhost = await step(async () => {
  const r = await undiciFetch(`https://localhost:${spec.port}/json`, M);
  await r.arrayBuffer();
  return { status: r.status };
});

const client = await step(async () => {
  const c = new RenderioClient({
    baseUrl: base,
    withKey: (fn) => fn(spec.key),
    fetch: undiciFetch,
    retry: { attempts: 1 },
  });
  const list = await c.listCommands({ limit: 1 });
  return { ids: list.commands.map((x) => x.command_id), limit: list.limit };
});

const report: TlsChildReport = { json, upload, download, keepAlive, localhost, client };
// Nothing else: the process ends by itself once this is written (idle pooled sockets are unref'd).
process.stdout.write(`${JSON.stringify(report)}\n`);

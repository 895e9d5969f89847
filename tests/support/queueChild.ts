/**
 * A child process that runs the CLI (and so the real queue) and, when told, kills itself with
 * SIGKILL at a named point of a job's life: the crash tests start it, let it die mid-stage,
 * then start it again on the same --data-dir and check that every job finishes exactly once.
 *
 *   tsx tests/support/queueChild.ts '<json: {argv, killAt?, nth?, firstPollMs?, downloads?}>'
 *
 * With `downloads`, every storage download's body (GET /storage/...) passes through a counter
 * in this process: each one ends with a line `queueChild: download <status> from <start>
 * received <bytes>` on stderr, and with `holdAfterBytes` the body stops after that many bytes
 * and stays open, as over a network that stalled (the engine, held by TCP back-pressure, sends
 * no more): `queueChild: download held at <bytes>`. The test then kills the process at a known
 * point in the middle of a download, with those bytes on their way to the .part.
 */
import { runCli } from '../../cli/convert';
import { adaptivePollPolicy } from '../../electron/core/queue/pollPolicy';
import type { FetchLike } from '../../electron/core/ports';
import { undiciFetch } from '../../electron/core/client/undiciFetch';
import type { QueueChildSpec } from './queueChildRun';

const spec = JSON.parse(process.argv[2] ?? '{}') as QueueChildSpec;
const fetch =
  spec.downloads === undefined ? undefined : watchDownloads(spec.downloads.holdAfterBytes);
let seen = 0;
const code = await runCli(
  spec.argv,
  {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    isTty: false,
  },
  {
    ...(fetch === undefined ? {} : { fetch }),
    pollPolicy: adaptivePollPolicy({ firstMs: spec.firstPollMs ?? 300, minMs: 100 }),
    checkpoint: (name) => {
      if (name === spec.killAt && ++seen === (spec.nth ?? 1)) {
        process.stderr.write(`queueChild: SIGKILL at ${name}\n`);
        process.kill(process.pid, 'SIGKILL');
      }
    },
  },
);
process.exit(code);

/** The CLI's transport, with a counter around the bodies of storage downloads. */
function watchDownloads(holdAfterBytes: number | undefined): FetchLike {
  return async (input, init) => {
    const response = await undiciFetch(input, init);
    const url = new URL(input);
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' || !url.pathname.startsWith('/storage/') || response.body === null)
      return response;
    const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1] ?? '0';
    let received = 0;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          if (holdAfterBytes === undefined || received + chunk.byteLength < holdAfterBytes) {
            received += chunk.byteLength;
            controller.enqueue(chunk);
            return;
          }
          controller.enqueue(chunk.subarray(0, holdAfterBytes - received));
          received = holdAfterBytes;
          process.stderr.write(`queueChild: download held at ${received}\n`);
          // Never settles: no more bytes reach the client, and the engine's socket fills up.
          return new Promise<void>(() => undefined);
        },
        flush() {
          process.stderr.write(
            `queueChild: download ${response.status} from ${start} received ${received}\n`,
          );
        },
      }),
    );
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

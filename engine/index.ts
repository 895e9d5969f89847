/**
 * The local engine: a RenderIO-compatible HTTP server over a real ffmpeg.
 * `startEngine(options)` is the one entry point for the app, the CLI and the tests.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerCommandRoutes } from './commands/commandRoutes';
import { CommandService } from './commands/commandService';
import { toCommandObject } from './commands/commandView';
import { findLocalFfmpeg } from '../shared/node/ffmpeg';
import { resolveConfig } from './config';
import type { EngineContext } from './engineContext';
import { FaultInjector, type FaultConfig } from './faults';
import { registerFileRoutes } from './files/fileRoutes';
import { FileService } from './files/fileService';
import { createDispatcher } from './http/dispatch';
import { RequestLog } from './http/requestLog';
import { Router } from './http/router';
import { KeyStore } from './keys/keyStore';
import { registerPresetRoutes } from './presets/presetRoutes';
import { RateLimiter } from './rateLimit';
import { startRetention } from './retention';
import type { CommandRecord } from './state/records';
import { StateStore } from './state/stateStore';
import { BlobStore } from './storage/blobStore';
import { registerStorageRoutes } from './storage/downloadRoute';
import { loadSigningSecret, UrlSigner } from './storage/signing';
import type { EngineHandle, EngineOptions } from './types';
import { WebhookDispatcher } from './webhooks/webhookDispatcher';
import { registerWebhookRoutes } from './webhooks/webhookRoutes';

export type { EngineHandle, EngineOptions, RequestLogEntry } from './types';
export type { FaultConfig, FaultRule } from './faults';

export async function startEngine(options: EngineOptions): Promise<EngineHandle> {
  const config = resolveConfig(options);
  const { logger } = config;
  // Asked while the state loads; a few short ffmpeg runs, each with a time limit.
  const finding = findLocalFfmpeg(config.ffmpegSearch);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });

  const store = new StateStore(config.dataDir, logger);
  await store.load();
  const keys = new KeyStore(config.dataDir, config.apiKeys);
  await keys.load();
  const signer = new UrlSigner(
    await loadSigningSecret(config.dataDir),
    config.storageUrlTtlSeconds,
  );
  let origin = '';
  const ffmpeg = await finding;
  if (ffmpeg.available)
    logger.info(`${ffmpeg.summary}: ${ffmpeg.ffmpeg.path}, ${ffmpeg.ffprobe.path}`);
  else logger.warn(`no usable ffmpeg: ${ffmpeg.problem.message} (${ffmpeg.problem.detail})`);
  const ctx: EngineContext = {
    ffmpeg,
    config,
    logger,
    store,
    blobs: new BlobStore(config.dataDir),
    signer,
    origin: () => origin,
  };

  const files = new FileService(ctx);
  const commands = new CommandService(ctx, files);
  const webhooks = new WebhookDispatcher({
    config: () => store.state.webhook,
    changed: () => store.changed(),
    logger,
  });
  // Once per end of a command: `webhook_pending` stays set on disk until the delivery has
  // settled, so one cut off by a stop or a crash is sent after the next start.
  const deliverWebhook = (record: CommandRecord): void => {
    void webhooks
      .deliver(toCommandObject(ctx, record, null), record.webhook_url)
      .then((outcome) => {
        if (outcome === 'stopped') return;
        delete record.webhook_pending;
        store.changed();
      });
  };
  commands.onFinished = deliverWebhook;

  const router = new Router();
  registerFileRoutes(router, ctx, files);
  registerCommandRoutes(router, ctx, files, commands);
  registerPresetRoutes(router, ctx, files, commands);
  registerWebhookRoutes(router, ctx);
  registerStorageRoutes(router, ctx, files);

  const limiter = new RateLimiter(config.rateLimit.ratePerSecond, config.rateLimit.burst);
  const pruneTimer = setInterval(() => limiter.prune(), 60_000);
  pruneTimer.unref();
  let faults = options.faults ? new FaultInjector(options.faults) : null;
  const log = new RequestLog(config.requestLogSize);

  const dispatch = createDispatcher({
    router,
    keys,
    limiter,
    faults: () => faults,
    log,
    logger,
    bodyLimits: { jsonBytes: config.jsonLimitBytes, uploadBytes: config.uploadLimitBytes },
    dataDir: config.dataDir,
    keepFreeBytes: config.keepFreeBytes,
  });
  const server: Server = createServer(dispatch);
  // With a listener here node no longer answers `Expect: 100-continue` by itself: the
  // dispatcher says go ahead only for a body it will read (http/dispatch.ts).
  server.on('checkContinue', dispatch);
  // Large uploads take as long as they take; idle sockets still time out.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(address.address)
    ? '127.0.0.1'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  origin = `http://${host}:${address.port}`;

  // Only once the origin is known: recovery re-probes, re-queues, re-runs and re-sends.
  // Commands first: they drop the outputs of cut-off runs before files would re-probe them.
  await commands.recover();
  files.recover();
  for (const record of Object.values(store.state.commands))
    if (record.webhook_pending) deliverWebhook(record);
  const stopRetention = startRetention(ctx, files);
  logger.info(`listening on ${origin} (data in ${config.dataDir})`);

  let closing: Promise<void> | null = null;
  return {
    url: origin,
    ffmpeg,
    commandSlots: config.concurrency,
    requestLog: log.entries,
    createKey: () => keys.create(),
    revokeKey: async (key) => {
      await keys.revoke(key);
    },
    setFaults: (f: FaultConfig | undefined) => {
      faults = f ? new FaultInjector(f) : null;
    },
    close: () => {
      closing ??= (async () => {
        stopRetention();
        clearInterval(pruneTimer);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await commands.close();
        await files.close();
        await webhooks.close();
        server.closeAllConnections();
        await stopped;
        await store.flush();
      })();
      return closing;
    },
  };
}

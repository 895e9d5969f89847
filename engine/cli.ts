/**
 * `npm run engine -- --port 8787 --data-dir DIR [--host H] [--concurrency N] [--rate R --burst B]`
 * `npm run engine -- keys create|list|revoke <key-or-id> --data-dir DIR`
 */
import { mkdir, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createLogger } from '../shared/redact';
import { installRedactedFatalHandlers } from '../shared/node/fatalErrors';
import { DEFAULTS } from './config';
import { startEngine } from './index';
import { KeyStore } from './keys/keyStore';

const USAGE = `Usage:
  npm run engine -- --port 8787 --data-dir DIR [--host 127.0.0.1] [--concurrency N]
                    [--rate 20 --burst 40] [--upload-limit-mb N] [--keep-free-mb N] [--timeout-s N]
                    [--stall-timeout-s N] [--retention-hours N] [--ffmpeg PATH] [--ffprobe PATH]
                    [--verbose]
  npm run engine -- keys create --data-dir DIR     print a new key (shown once)
  npm run engine -- keys list --data-dir DIR       key ids, creation and revocation dates
  npm run engine -- keys revoke KEY|ID --data-dir DIR`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function num(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) fail(`--${name} must be a number`);
  return value;
}

/** A port to listen on: a whole number from 0 (any free port) to 65535. */
function port(raw: string | undefined): number {
  if (raw === undefined) return DEFAULTS.port;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value > 65535)
    fail('--port must be a whole number from 0 to 65535');
  return value;
}

/** Refuses a --data-dir that names a file (the engine would fail on a raw EEXIST later). */
async function checkDataDir(dataDir: string): Promise<void> {
  const info = await stat(dataDir).catch(() => null);
  if (info !== null && !info.isDirectory()) fail(`--data-dir ${dataDir} is a file, not a folder`);
}

async function keysCommand(sub: string | undefined, rest: string[], dataDir: string) {
  const store = new KeyStore(dataDir);
  if (sub === 'create') {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    process.stdout.write(`${await store.create()}\n`);
    process.stderr.write('Store this key now: the engine keeps only its hash.\n');
  } else if (sub === 'list') {
    const keys = await store.list();
    if (keys.length === 0) process.stdout.write('no keys\n');
    for (const k of keys)
      process.stdout.write(
        `${k.id}  created ${k.created_at}  ${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}\n`,
      );
  } else if (sub === 'revoke') {
    const target = rest[0];
    if (!target) fail('keys revoke needs a key or a key id');
    if (!(await store.revoke(target))) fail('no such key');
    process.stdout.write('revoked\n');
  } else {
    fail(`unknown keys command: ${sub ?? '(none)'}`);
  }
}

/** The options, or a usage error in one line (exit 2) for an unknown or malformed one. */
function parseOptions(): ReturnType<typeof parseOptionsOrThrow> {
  try {
    return parseOptionsOrThrow();
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      fail((error as Error).message.split('\n')[0] ?? 'bad options');
    throw error;
  }
}

function parseOptionsOrThrow() {
  return parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      'upload-limit-mb': { type: 'string' },
      'keep-free-mb': { type: 'string' },
      'timeout-s': { type: 'string' },
      'stall-timeout-s': { type: 'string' },
      'retention-hours': { type: 'string' },
      ffmpeg: { type: 'string' },
      ffprobe: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseOptions();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const dataDir = values['data-dir'];
  if (!dataDir) fail('--data-dir is required');
  await checkDataDir(dataDir);
  if (positionals[0] === 'keys') return keysCommand(positionals[1], positionals.slice(2), dataDir);
  if (positionals.length > 0) fail(`unknown command: ${positionals.join(' ')}`);

  const logger = createLogger(
    'engine',
    (_level, line) => process.stderr.write(`${line}\n`),
    values.verbose ? 'debug' : 'info',
  );
  const rate = num('rate', values.rate);
  const burst = num('burst', values.burst);
  const uploadMb = num('upload-limit-mb', values['upload-limit-mb']);
  const keepFreeMb = num('keep-free-mb', values['keep-free-mb']);
  const timeoutS = num('timeout-s', values['timeout-s']);
  const stallS = num('stall-timeout-s', values['stall-timeout-s']);
  const engine = await startEngine({
    dataDir,
    port: port(values.port),
    host: values.host,
    concurrency: num('concurrency', values.concurrency),
    rateLimit:
      rate !== undefined || burst !== undefined
        ? {
            ratePerSecond: rate ?? DEFAULTS.rateLimit.ratePerSecond,
            burst: burst ?? DEFAULTS.rateLimit.burst,
          }
        : undefined,
    uploadLimitBytes: uploadMb !== undefined ? uploadMb * 1024 * 1024 : undefined,
    keepFreeBytes: keepFreeMb !== undefined ? keepFreeMb * 1024 * 1024 : undefined,
    commandTimeoutMs: timeoutS !== undefined ? timeoutS * 1000 : undefined,
    stallTimeoutMs: stallS !== undefined ? stallS * 1000 : undefined,
    outputRetentionHours: num('retention-hours', values['retention-hours']),
    ffmpegPath: values.ffmpeg,
    ffprobePath: values.ffprobe,
    logger,
  });
  // One machine-readable line on stdout: tools (and the benchmark) read the URL from it.
  process.stdout.write(`RenderIO engine listening on ${engine.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    void engine.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('close failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

installRedactedFatalHandlers();
main().catch((error: unknown) => {
  const logger = createLogger('engine', (_l, line) => process.stderr.write(`${line}\n`));
  logger.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/** `npm run engine` (engine/cli.ts): key management and serving, as separate processes. */
import { spawn, execFile } from 'node:child_process';
import { createInterface } from 'node:readline';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/media';

const run = promisify(execFile);
const TSX = ['node_modules/.bin/tsx', 'engine/cli.ts'];
let dir: { path: string; cleanup(): Promise<void> };

beforeAll(async () => {
  dir = await tempDir('renderio-engine-cli-');
});
afterAll(() => dir.cleanup());

const cli = (...args: string[]) => run(TSX[0]!, [TSX[1]!, ...args], { cwd: process.cwd() });

describe('engine CLI', () => {
  it('creates, lists and revokes keys; a running engine honours them', async () => {
    const dataDir = `${dir.path}/data`;
    const { stdout: created } = await cli('keys', 'create', '--data-dir', dataDir);
    const key = created.trim();
    expect(key).toMatch(/^ffsk_[0-9a-f]{64}$/);
    const { stdout: listed } = await cli('keys', 'list', '--data-dir', dataDir);
    expect(listed).toMatch(/^[0-9a-f]{12} {2}created \S+ {2}active$/m);
    expect(listed).not.toContain(key.slice(5));

    const child = spawn(TSX[0]!, [TSX[1]!, '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.on('line', (line) => {
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`engine exited with ${code}`)));
      });
      const ok = await fetch(`${url}/api/v1/commands?limit=1`, { headers: { 'X-API-KEY': key } });
      expect(ok.status).toBe(200);

      const id = /^([0-9a-f]{12})/.exec(listed)![1]!;
      const { stdout: revoked } = await cli('keys', 'revoke', id, '--data-dir', dataDir);
      expect(revoked.trim()).toBe('revoked');
      // The running engine re-reads the key file (checked at most once a second).
      let status = 200;
      for (let i = 0; i < 30 && status === 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = (await fetch(`${url}/api/v1/commands?limit=1`, { headers: { 'X-API-KEY': key } }))
          .status;
      }
      expect(status).toBe(401);
      const { stdout: after } = await cli('keys', 'list', '--data-dir', dataDir);
      expect(after).toMatch(/revoked \S+$/m);
    } finally {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses bad options in one line with status 2, never a stack trace or a raw system error', async () => {
    const aFile = `${dir.path}/not-a-folder`;
    await writeFile(aFile, 'x');
    const cases: [string[], string][] = [
      [
        ['--port', '99999', '--data-dir', dir.path],
        '--port must be a whole number from 0 to 65535',
      ],
      [['--port', '1.5', '--data-dir', dir.path], '--port must be a whole number from 0 to 65535'],
      [['--data-dir', aFile], `--data-dir ${aFile} is a file, not a folder`],
      [['keys', 'list', '--data-dir', aFile], `--data-dir ${aFile} is a file, not a folder`],
      [['--bogus', '--data-dir', dir.path], "Unknown option '--bogus'"],
    ];
    for (const [args, message] of cases) {
      const failed = await cli(...args).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed, args.join(' ')).not.toBeNull();
      expect(failed?.code, args.join(' ')).toBe(2);
      expect(failed?.stderr.split('\n')[0]?.startsWith(message), failed?.stderr).toBe(true);
      expect(failed?.stderr).not.toMatch(/\n\s+at |EEXIST|ENOTDIR|options\.port/);
    }
  });

  it('refuses unknown commands with usage', async () => {
    await expect(cli('keys', 'frobnicate', '--data-dir', dir.path)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown keys command: frobnicate'),
    });
  });
});

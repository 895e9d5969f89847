import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const module = fileURLToPath(new URL('../../../../shared/node/fatalErrors.ts', import.meta.url));

/** Runs a script in a real child process with the handlers installed; returns its exit and stderr. */
async function crash(body: string): Promise<{ code: number; stderr: string }> {
  const script = `import { installRedactedFatalHandlers } from ${JSON.stringify(module)};
installRedactedFatalHandlers();
${body}`;
  try {
    await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('installRedactedFatalHandlers', () => {
  const key = `ffsk_${randomBytes(32).toString('hex')}`;

  it('prints an uncaught exception without the key and exits 1', async () => {
    const { code, stderr } = await crash(`throw new Error('request with ${key} failed');`);
    expect(code).toBe(1);
    expect(stderr).toContain('Uncaught exception');
    expect(stderr).toContain('ffsk_[REDACTED] failed');
    expect(stderr).not.toContain(key);
  });

  it('does the same for an unhandled rejection', async () => {
    const { code, stderr } = await crash(
      `Promise.reject(new Error('x', { cause: new Error('${key}') }));`,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('Unhandled promise rejection');
    expect(stderr).not.toContain(key);
  });
});

/**
 * The double of Electron's utilityProcess (docs/api/utility-process.md;
 * lib/browser/api/utility-process.ts; shell/browser/api/electron_api_utility_process.cc):
 * - fork() before the app is ready throws TypeError("utilityProcess cannot be created before
 *   app is ready."); a missing module path throws;
 * - the child is a real, separate Node process running the module as an entry point (ESM
 *   loader), with `process.parentPort` (utilityEntry.mjs); stdin is never connected;
 * - messages are cloned (structured clone); `postMessage` after the child is gone does nothing;
 * - 'spawn' once it runs, 'exit' with its code when it ends (a kill by signal gives no code: the
 *   double reports 1, as a crash), `pid` undefined after 'exit'; kill() is SIGTERM and returns
 *   false once the child is gone.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';

const ENTRY = join(import.meta.dirname, 'utilityEntry.mjs');

export interface ForkOptions {
  env?: Record<string, string | undefined>;
  execArgv?: string[];
  cwd?: string;
  stdio?: 'pipe' | 'ignore' | 'inherit' | string[];
  serviceName?: string;
}

export class UtilityProcessDouble extends EventEmitter {
  private child: ChildProcess | null;
  /** Children the double started, so a test can check none outlives the app. */
  static readonly started: UtilityProcessDouble[] = [];

  constructor(modulePath: string, args: string[], options: ForkOptions) {
    super();
    if (typeof modulePath !== 'string' || modulePath === '')
      throw new Error('Missing UtilityProcess entry script.');
    const stdio =
      options.stdio === 'pipe' ? 'pipe' : options.stdio === 'ignore' ? 'ignore' : 'inherit';
    this.child = fork(ENTRY, [modulePath, ...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', stdio, stdio, 'ipc'],
      serialization: 'advanced',
    });
    UtilityProcessDouble.started.push(this);
    this.child.once('spawn', () => this.emit('spawn'));
    this.child.on('message', (message) => this.emit('message', message));
    this.child.once('exit', (code) => {
      this.child = null;
      this.emit('exit', code ?? 1);
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child !== null;
  }

  postMessage(message: unknown): void {
    const child = this.child;
    if (!child?.connected) return;
    child.send(structuredClone(message) as never);
  }

  kill(): boolean {
    if (!this.child) return false;
    return this.child.kill('SIGTERM');
  }

  /** control: a crash (SIGKILL), as the OS or a fault would end it. */
  crashForTest(): void {
    this.child?.kill('SIGKILL');
  }
}

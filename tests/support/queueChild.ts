/**
 * A child process that runs the CLI (and so the real queue) and, when told, kills itself with
 * SIGKILL at a named point of a job's life: the crash tests start it, let it die mid-stage,
 * then start it again on the same --data-dir and check that every job finishes exactly once.
 *
 *   tsx tests/support/queueChild.ts '<json: {argv, killAt?, nth?, firstPollMs?}>'
 */
import { runCli } from '../../cli/convert';
import { adaptivePollPolicy } from '../../electron/core/queue/pollPolicy';
import type { Checkpoint } from '../../electron/core/queue/ports';

interface ChildSpec {
  argv: string[];
  killAt?: Checkpoint;
  /** Die at the nth time the checkpoint is reached (default 1). */
  nth?: number;
  firstPollMs?: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec;
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

/** `npm run cli -- ...` and the `renderio-convert` bin: see cli/convert.ts. */
import { installRedactedFatalHandlers } from '../shared/node/fatalErrors';
import { runCli } from './convert';

installRedactedFatalHandlers();

// A reader that stops early (`renderio-convert presets | head`) closes the pipe: the work goes
// on and the exit status stays true, only the output nobody reads any more is dropped.
const closed = new Set<NodeJS.WriteStream>();
const writer = (stream: NodeJS.WriteStream) => {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed.add(stream);
  });
  return (text: string): void => {
    if (!closed.has(stream)) stream.write(text);
  };
};

const code = await runCli(process.argv.slice(2), {
  stdout: writer(process.stdout),
  stderr: writer(process.stderr),
  env: process.env,
  isTty: process.stderr.isTTY === true,
});
// Exit once the output is flushed; nothing else should keep the process alive.
if (closed.has(process.stdout)) process.exit(code);
else process.stdout.write('', () => process.exit(code));

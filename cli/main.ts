/** `npm run cli -- ...` and the `renderio-convert` bin: see cli/convert.ts. */
import { installRedactedFatalHandlers } from '../shared/node/fatalErrors';
import { runCli } from './convert';

installRedactedFatalHandlers();

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTty: process.stderr.isTTY === true,
});
// Exit once the output is flushed; nothing else should keep the process alive.
process.stdout.write('', () => process.exit(code));

// `npm start`: build the three bundles, then launch Electron on them.
// Where the Electron binary is missing (it is downloaded by electron's install script, which
// a machine without internet cannot run), try that installer once with a short timeout and
// otherwise stop with a clear message. Never hang.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const INSTALL_TIMEOUT_MS = Number(process.env.RENDERIO_ELECTRON_INSTALL_TIMEOUT_MS ?? 45_000);

function fail(message) {
  console.error(`\nnpm start: ${message}\n`);
  process.exit(1);
}

// The executable inside an Electron dist folder, as electron's own install.js names it.
const PLATFORM_BINARY = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  // path.txt is written by a successful download; with ELECTRON_OVERRIDE_DIST_PATH there may
  // never have been one, so fall back to the platform's name, as node_modules/electron does.
  const relative = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : override
      ? (PLATFORM_BINARY[process.platform] ?? 'electron')
      : null;
  if (!relative) return null;
  const binary = join(override || join(electronDir, 'dist'), relative);
  return existsSync(binary) ? binary : null;
}

const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) fail('the build failed (see above).');

if (!existsSync(join(electronDir, 'package.json'))) {
  fail('the electron package is not installed. Run "npm ci" first.');
}

let binary = electronBinary();
if (!binary && override) {
  // The person pointed at a local copy: downloading another would not be what they asked for.
  fail(
    `ELECTRON_OVERRIDE_DIST_PATH=${override} holds no Electron executable ` +
      `(looked for ${join(override, PLATFORM_BINARY[process.platform] ?? 'electron')}). ` +
      'Point it at an unpacked Electron release folder.',
  );
}
if (!binary) {
  console.log(
    `Electron binary not found; trying its installer (up to ${INSTALL_TIMEOUT_MS / 1000} s)…`,
  );
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: 'inherit',
    timeout: INSTALL_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  const timedOut =
    install.error && /** @type {NodeJS.ErrnoException} */ (install.error).code === 'ETIMEDOUT';
  binary = electronBinary();
  if (!binary) {
    fail(
      [
        `the Electron binary could not be fetched${timedOut ? ' (the download timed out)' : ''}.`,
        'npm start needs it; the build itself (dist/) is ready and the tests do not need it.',
        'To get it:',
        '  • on a machine with internet access: rm -rf node_modules/electron && npm ci',
        '  • behind a mirror: ELECTRON_MIRROR=https://your-mirror/electron/ node node_modules/electron/install.js',
        '  • with a local copy: ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-dist npm start',
      ].join('\n'),
    );
  }
}

const child = spawn(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (error) => fail(`could not launch Electron: ${error.message}`));

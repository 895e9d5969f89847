// Bundles the Electron side with esbuild:
//   electron/main.ts    → dist/main/main.mjs      (ESM, Node platform, `electron` external)
//   electron/preload.ts → dist/preload/preload.cjs (ONE CommonJS file: a sandboxed preload may
//                                                  require only `electron`, so all else is inlined)
//   engine/engineProcess.ts → dist/engine/engineProcess.mjs (the local engine, run by main in a
//                                                  utilityProcess; no `electron` import)
// The renderer is built by Vite (vite.config.ts). No Electron binary is needed to build.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  external: ['electron'],
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main.ts'],
    outfile: 'dist/main/main.mjs',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Bundled CommonJS dependencies may still call require(): give the ESM bundle one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  }),
  build({
    ...common,
    entryPoints: ['engine/engineProcess.ts'],
    outfile: 'dist/engine/engineProcess.mjs',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  }),
  build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/preload/preload.cjs',
    // The sandboxed preload is a browser-like context, not Node.
    platform: 'browser',
    format: 'cjs',
    target: 'chrome140',
  }),
]);
console.log('built dist/main/main.mjs, dist/engine/engineProcess.mjs and dist/preload/preload.cjs');

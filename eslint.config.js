import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const ELECTRON = {
  name: 'electron',
  message: 'Only electron/main.ts, electron/main/, preload.ts and adapters/ may import electron.',
};
// Each group is a gitignore-style pattern matched against the import specifier.
const CORE = {
  group: ['**/electron/core', '**/electron/core/**'],
  message:
    'Only the CLI and the Electron shell import the core; the window reaches it through the IPC contract (shared/ipc).',
};
const ENGINE = {
  group: ['**/engine/**', '!**/shared/**'],
  message:
    'The local engine is a server: talk to it over HTTP through the client, or move the shared rule to shared/ffmpeg.',
};
const ENGINE_INTERNALS = {
  group: ['**/engine/**', '!**/engine/index', '!**/engine/localEngine', '!**/shared/**'],
  message:
    'The CLI starts the engine through its entry points (engine/index, engine/localEngine) only.',
};
const CLI = { group: ['**/cli/**'], message: 'Nothing depends on the CLI.' };
const RENDERER = {
  group: ['**/renderer/**'],
  message: 'The window is a leaf: nothing imports it.',
};
const ELECTRON_SHELL = {
  group: [
    '**/electron/main',
    '**/electron/main/**',
    '**/electron/adapters/**',
    '**/electron/preload*',
    '**/electron/main.ts',
  ],
  message: 'The Electron shell wires the core; the core never reaches back into it.',
};
const SHARED_NODE = {
  group: ['**/shared/node/**', 'node:*'],
  message: 'The renderer runs in a sandboxed page: no Node modules.',
};

function boundary(files, ...groups) {
  return {
    files,
    rules: { 'no-restricted-imports': ['error', { paths: [ELECTRON], patterns: groups }] },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'artifacts/**', 'test-results/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // Boundaries between the parts (docs/ARCHITECTURE.md, "Layout"). Each block repeats the
  // electron ban because a later no-restricted-imports entry replaces, not merges, an earlier one.
  boundary(['electron/core/**'], ENGINE, CLI, RENDERER, ELECTRON_SHELL),
  boundary(['engine/**'], CORE, CLI, RENDERER, ELECTRON_SHELL),
  boundary(['shared/**'], CORE, ENGINE, CLI, RENDERER, ELECTRON_SHELL),
  boundary(['renderer/**'], CORE, ENGINE, CLI, ELECTRON_SHELL, SHARED_NODE),
  boundary(['cli/**'], ENGINE_INTERNALS, RENDERER, ELECTRON_SHELL),
);

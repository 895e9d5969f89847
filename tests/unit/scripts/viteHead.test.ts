/**
 * The built index.html: theme-boot.js (a parser-blocking script) moves after the stylesheet
 * and the modules Vite adds, with its comment, still inside <head> (vite.config.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lastInHead } from '../../../vite.config';

const BUILT_INDEX = 'dist/renderer/index.html';

const built = [
  '<head>',
  '    <title>RenderIO Desktop</title>',
  '    <!-- Before the first paint. -->',
  '    <script src="./theme-boot.js"></script>',
  '    <script type="module" crossorigin src="./assets/index.js"></script>',
  '    <link rel="stylesheet" crossorigin href="./assets/style.css">',
  '    <link rel="modulepreload" crossorigin href="./assets/ui.js">',
  '  </head>',
  '  <body>',
  '    <div id="root"></div>',
  '  </body>',
].join('\n');

describe('lastInHead', () => {
  it('moves theme-boot.js and its comment to the end of <head>', () => {
    const lines = lastInHead(built).split('\n');
    expect(lines.slice(1, 8)).toEqual([
      '    <title>RenderIO Desktop</title>',
      '    <script type="module" crossorigin src="./assets/index.js"></script>',
      '    <link rel="stylesheet" crossorigin href="./assets/style.css">',
      '    <link rel="modulepreload" crossorigin href="./assets/ui.js">',
      '    <!-- Before the first paint. -->',
      '    <script src="./theme-boot.js"></script>',
      '  </head>',
    ]);
  });

  it('leaves a page without theme-boot.js as it is', () => {
    const page = built.replace('    <script src="./theme-boot.js"></script>\n', '');
    expect(lastInHead(page)).toBe(page);
  });

  // The build, not only the function: CI builds before the tests (.ci/run), and a plugin that
  // is no longer wired would leave theme-boot.js where it holds up the parser.
  it.runIf(existsSync(BUILT_INDEX))('is applied by the build', () => {
    const head = readFileSync(BUILT_INDEX, 'utf8').split('</head>')[0]!.trim().split('\n');
    expect(head.at(-1)?.trim()).toBe('<script src="./theme-boot.js"></script>');
    expect(head.some((line) => line.includes('rel="stylesheet"'))).toBe(true);
  });
});

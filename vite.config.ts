import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The React chunk (renderer/src/ui.tsx) is imported by the entry at run time, after it has
 * asked main for the first page; a modulepreload link fetches and compiles it beside the
 * entry instead of after it. Its own static imports are listed too (Vite only preloads an
 * entry's static imports by itself).
 */
function preloadUi(): Plugin {
  return {
    name: 'renderio-preload-ui',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const ui = Object.values(bundle).find(
          (c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/renderer/src/ui.tsx'),
        );
        if (!ui || ui.type !== 'chunk') return html;
        const files = [ui.fileName, ...ui.imports];
        const present = (f: string) => html.includes(`"./${f}"`);
        const links = files
          .filter((f) => !present(f))
          .map((f) => `<link rel="modulepreload" crossorigin href="./${f}">`)
          .join('\n    ');
        return lastInHead(links ? html.replace('</head>', `  ${links}\n  </head>`) : html);
      },
    },
  };
}

const THEME_BOOT = '<script src="./theme-boot.js"></script>';

/**
 * theme-boot.js last in <head>, after the stylesheet and the modules Vite adds after it: a
 * script that blocks the parser also stops Chromium fetching what follows it until it has
 * been fetched and run (a round trip more before the stylesheet and the app's modules are
 * even asked for). Last in <head> it still runs before the body is parsed, so before the
 * first paint (after the stylesheet, which it waits for).
 */
export function lastInHead(html: string): string {
  const lines = html.split('\n');
  const at = lines.findIndex((line) => line.trim() === THEME_BOOT);
  const end = lines.findIndex((line) => line.trim() === '</head>');
  if (at < 0 || end < 0) return html;
  // Its comment, the line above, goes with it.
  const from = lines[at - 1]?.trim().startsWith('<!--') ? at - 1 : at;
  const moved = lines.splice(from, at - from + 1);
  lines.splice(end - moved.length, 0, ...moved);
  return lines.join('\n');
}

// The renderer bundle. Main and preload are bundled by scripts/build-electron.mjs (esbuild).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), preloadUi()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // One stylesheet, linked from index.html: the React chunk's CSS is not fetched by
    // script after it (a render would wait on it) and the lazy panels' few rules come along.
    cssCodeSplit: false,
  },
});

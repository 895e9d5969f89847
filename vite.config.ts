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
        return links ? html.replace('</head>', `  ${links}\n  </head>`) : html;
      },
    },
  };
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

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer bundle. Main and preload are bundled by scripts/build-electron.mjs (esbuild).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
  },
});

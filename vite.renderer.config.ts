/**
 * Builds the renderer as a plain web page (out/renderer-web) for the browser e2e host, where
 * Electron cannot run. The same source is built for Electron by electron.vite.config.ts.
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve(__dirname, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(__dirname, 'out/renderer-web'),
    emptyOutDir: true,
    sourcemap: true,
    // No inline scripts or styles: the page's CSP allows only files from its own origin.
    assetsInlineLimit: 0,
  },
});

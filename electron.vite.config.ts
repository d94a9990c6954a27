/**
 * electron-vite build of the app: main (src/main/electron/index.ts), the sandboxed preload
 * (src/main/electron/preload.ts) and the React renderer (src/renderer).
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { devCspMeta } from './scripts/lib/dev-csp-meta';

const root = __dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // One self-contained file: the packaged app does not depend on node_modules at run time,
      // except native-reg, which the Windows machine loads with require() at run time and
      // electron-builder packs with the production dependencies (its .node file unpacked).
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src/main/electron/index.ts') },
        // The Windows machine is imported lazily by open-machine; keep it in the one file.
        output: { inlineDynamicImports: true },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Minified, and free of zod (it imports shared/ipc-api only): main validates every message.
      minify: true,
      // A sandboxed preload can require only `electron` and a few built-ins: bundle everything.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src/main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react(), devCspMeta()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      // No data: URLs for fonts or scripts: the CSP allows only files of the app's own origin.
      assetsInlineLimit: 0,
      rollupOptions: {
        input: { index: resolve(root, 'src/renderer/index.html') },
      },
    },
  },
});

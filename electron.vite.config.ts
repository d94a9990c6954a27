/**
 * electron-vite build of the app: main (src/main/index.ts), the sandboxed preload
 * (src/main/preload.ts) and the React renderer (src/renderer).
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { devContentSecurityPolicy } from './src/main/security';

const root = __dirname;

/**
 * In development only, replace the page's CSP meta tag with the development policy: the dev
 * server needs its inline React refresh preamble, injected styles and HMR socket, which the
 * built app's policy rightly refuses. The built index.html keeps its own meta tag.
 */
function devCspMeta(): Plugin {
  return {
    name: 'wslk-dev-csp-meta',
    apply: 'serve',
    transformIndexHtml(html, ctx) {
      const url = ctx.server?.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
      const meta = `<meta http-equiv="Content-Security-Policy" content="${devContentSecurityPolicy(url)}" />`;
      return html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i, meta);
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // One self-contained file: the packaged app does not depend on node_modules at run time.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src/main/index.ts') },
        // The Windows machine is imported lazily by machine-select; keep it in the one file.
        output: { inlineDynamicImports: true },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload can require only `electron` and a few built-ins: bundle everything.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src/main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react(), devCspMeta()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // No data: URLs for fonts or scripts: the CSP allows only files of the app's own origin.
      assetsInlineLimit: 0,
      rollupOptions: {
        input: { index: resolve(root, 'src/renderer/index.html') },
      },
    },
  },
});

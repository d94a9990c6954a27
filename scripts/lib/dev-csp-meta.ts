/**
 * Vite plugin for `electron-vite dev` only: replace the page's CSP meta tag with the development
 * policy of src/main/app/security.ts. The dev server needs its inline React refresh preamble, injected
 * styles and HMR socket, which the built app's policy rightly refuses; the built index.html keeps
 * its own meta tag.
 */
import type { Plugin } from 'vite';
import { devContentSecurityPolicy } from '../../src/main/app/security';

export function devCspMeta(): Plugin {
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

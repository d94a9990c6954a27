/** In development only, the page's CSP meta tag becomes the dev server policy of security.ts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'vite';
import { describe, expect, it } from 'vitest';
import { devCspMeta } from '../../scripts/lib/dev-csp-meta';
import { devContentSecurityPolicy } from '../../src/main/app/security';
import { ROOT } from '../helpers/sandbox';

describe('devCspMeta', () => {
  it('replaces the meta policy of index.html when served by the dev server, and only then', async () => {
    const plugin = devCspMeta();
    expect(plugin.apply).toBe('serve');
    const server = await createServer({ configFile: false, root: join(ROOT, 'src', 'renderer'), plugins: [plugin], logLevel: 'silent', server: { middlewareMode: true, hmr: false } });
    try {
      const source = readFileSync(join(ROOT, 'src', 'renderer', 'index.html'), 'utf8');
      expect(source).toMatch(/http-equiv="Content-Security-Policy"/);
      const html = await server.transformIndexHtml('/', source);
      const policies = [...html.matchAll(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/g)].map((m) => m[1]);
      expect(policies).toEqual([devContentSecurityPolicy('http://localhost:5173/')]);
    } finally {
      await server.close();
    }
  });
});

/**
 * The page's Content Security Policy, and which URLs are the app's own, as plain data.
 *
 * Kept free of Electron imports: the Electron window and the browser host serve the same page under
 * the same policy (docs/design.md §8), and the same checks run in tests and in the app.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directives shared by the production and development policies. */
const BASE_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // The page never fetches anything: its data comes through the preload API. 'none' also keeps a
  // file:// page from reading other local files with fetch().
  'connect-src': ["'none'"],
  'media-src': ["'none'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'none'"],
  'manifest-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

function serialize(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** The policy of the built app: only the app's own scripts, styles and images. */
export const CSP_PRODUCTION = serialize(BASE_DIRECTIVES);

/**
 * The policy while developing with the Vite dev server at `devUrl`: its HMR socket and the inline
 * scripts and styles it injects (React refresh preamble, CSS hot update) are allowed, nothing else.
 */
export function devContentSecurityPolicy(devUrl: string): string {
  const url = new URL(devUrl);
  const ws = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  return serialize({
    ...BASE_DIRECTIVES,
    'script-src': ["'self'", "'unsafe-inline'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'connect-src': ["'self'", ws],
  });
}

/** Where the renderer comes from: the built index.html, or the dev server. */
export type RendererLocation = { kind: 'file'; indexHtml: string } | { kind: 'dev'; url: string };

/**
 * The policy of the page served by the browser host: the production policy, except that the page
 * talks to its host (fetch and an event stream to its own origin), as the preload does in Electron.
 */
export const CSP_BROWSER_HOST = serialize({ ...BASE_DIRECTIVES, 'connect-src': ["'self'"] });

/** The policy for a renderer location. */
export function contentSecurityPolicy(location: RendererLocation): string {
  return location.kind === 'dev' ? devContentSecurityPolicy(location.url) : CSP_PRODUCTION;
}

function samePath(a: string, b: string, platform: string): boolean {
  const x = resolve(a);
  const y = resolve(b);
  return platform === 'win32' ? x.toLowerCase() === y.toLowerCase() : x === y;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when `url` is the app's own page: the built index.html itself (any query or hash), or a
 * page of the dev server's origin.
 */
export function isAppUrl(url: string, location: RendererLocation, platform: string = process.platform): boolean {
  const u = parse(url);
  if (!u) return false;
  if (location.kind === 'dev') return u.origin === new URL(location.url).origin;
  if (u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost')) return false;
  try {
    return samePath(fileURLToPath(u), location.indexHtml, platform);
  } catch {
    return false;
  }
}

/**
 * Whether the session may load `url` at all: files of the renderer folder (or the dev server) and
 * the developer tools. Everything else (remote content, other local files) is cancelled.
 */
export function isAllowedRequest(url: string, location: RendererLocation, rendererDir: string | null, platform: string = process.platform): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === 'devtools:' || u.protocol === 'data:') return true;
  if (location.kind === 'dev') {
    const dev = new URL(location.url);
    const ws = dev.protocol === 'https:' ? 'wss:' : 'ws:';
    return u.host === dev.host && (u.protocol === dev.protocol || u.protocol === ws);
  }
  if (u.protocol !== 'file:' || !rendererDir || (u.host !== '' && u.host !== 'localhost')) return false;
  let path: string;
  try {
    path = resolve(fileURLToPath(u));
  } catch {
    return false;
  }
  const dir = resolve(rendererDir);
  const inside = platform === 'win32' ? path.toLowerCase().startsWith(dir.toLowerCase() + '\\') : path.startsWith(dir + '/');
  return inside;
}

/** Response headers with the app's Content-Security-Policy set (replacing any the response had). */
export function withCsp(headers: Record<string, string[]> | undefined, csp: string): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy');
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [csp] };
}

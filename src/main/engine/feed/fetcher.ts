/**
 * How the feed's files are fetched (docs/design.md §12): HTTP(S) through fetch with a connect timeout, a
 * stall timeout and bounded retries, `HTTPS_PROXY` / `NO_PROXY` honoured through undici's
 * EnvHttpProxyAgent; a folder or `file:` feed is read straight from disk, with no network at all.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BaseFetcher } from 'tuf-js';
// tuf-js ends a root rotation walk on this error class (404/403), so it must be its own.
import { DownloadHTTPError } from 'tuf-js/dist/error';

export interface FetchOptions {
  /** Milliseconds to wait for the response headers (default 20 s). */
  connectTimeoutMs?: number;
  /** Milliseconds without a byte before a download counts as stalled (default 30 s). */
  stallTimeoutMs?: number;
  /** Attempts per file for network errors and 5xx answers (default 3). */
  attempts?: number;
}

/** A network failure (no connection, timeout, stall, 5xx after retries): the feed could not be reached. */
export class FeedNetworkError extends Error {
  constructor(message: string) {
    super(`feed unreachable: ${message}`);
    this.name = 'FeedNetworkError';
  }
}

/** A folder path, `file:` URL or HTTP(S) URL, as a base URL ending in `/`. */
export function feedBaseUrl(location: string): string {
  const href = /^(https?|file):/i.test(location) ? location : pathToFileURL(resolve(location)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

export function timeoutsFromEnv(): FetchOptions {
  const ms = Number(process.env.WSLK_FEED_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? { connectTimeoutMs: ms, stallTimeoutMs: ms } : {};
}

type FetchFn = typeof fetch;
let proxied: FetchFn | null = null;

/** Global fetch, or undici's with an EnvHttpProxyAgent when a proxy is configured (loaded only then). */
async function fetchFn(): Promise<FetchFn> {
  const env = process.env;
  if (!(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy)) return fetch;
  if (!proxied) {
    const undici = await import('undici');
    const dispatcher = new undici.EnvHttpProxyAgent();
    proxied = ((input: string, init?: RequestInit) => undici.fetch(input, { ...(init as object), dispatcher } as never)) as unknown as FetchFn;
  }
  return proxied;
}

/** The body's chunks, failing when no byte arrives for `stallMs` (a server that stops sending). */
async function* guardStalls(body: ReadableStream<Uint8Array>, stallMs: number, abort: AbortController, url: string): AsyncGenerator<Buffer> {
  const reader = body.getReader();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new FeedNetworkError(`${url} stopped sending data for ${(stallMs / 1000).toFixed(1)} s`)), stallMs);
      });
      try {
        const { done, value } = await Promise.race([reader.read(), stalled]);
        if (done) return;
        yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    abort.abort();
    reader.releaseLock();
  }
}

export interface OpenedStream {
  stream: Readable;
  /** True when the server honoured the range (a resumed download). */
  partial: boolean;
}

/** Open `url` from byte `offset`, with timeouts and bounded retries. HTTP 404/403 → DownloadHTTPError. */
export async function openUrl(url: string, opts: FetchOptions = {}, offset = 0): Promise<OpenedStream> {
  if (url.startsWith('file:')) {
    const path = fileURLToPath(url);
    const s = await stat(path).catch(() => null);
    if (!s?.isFile()) throw new DownloadHTTPError(`${path} does not exist`, 404);
    return { stream: createReadStream(path, { start: Math.min(offset, s.size) }), partial: offset > 0 };
  }
  const attempts = opts.attempts ?? 3;
  const connectMs = opts.connectTimeoutMs ?? 20_000;
  const stallMs = opts.stallTimeoutMs ?? 30_000;
  const doFetch = await fetchFn();
  let last: Error = new FeedNetworkError(url);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, 250 * 2 ** (attempt - 2)));
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), connectMs);
    try {
      const res = await doFetch(url, {
        signal: abort.signal,
        headers: { 'user-agent': 'wsl-kernel-setup', ...(offset > 0 ? { range: `bytes=${offset}-` } : {}) },
        redirect: 'follow',
      });
      clearTimeout(timer);
      if (res.status >= 500) {
        last = new FeedNetworkError(`${url} answered HTTP ${res.status}`);
        await res.body?.cancel().catch(() => undefined);
        continue;
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel().catch(() => undefined);
        throw new DownloadHTTPError(`${url} answered HTTP ${res.status}`, res.status);
      }
      return { stream: Readable.from(guardStalls(res.body, stallMs, abort, url), { objectMode: false }), partial: res.status === 206 };
    } catch (err) {
      clearTimeout(timer);
      if (err instanceof DownloadHTTPError) throw err;
      const why = abort.signal.aborted ? `no answer within ${(connectMs / 1000).toFixed(1)} s` : ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
      last = new FeedNetworkError(`${url}: ${why}`);
    }
  }
  throw last;
}

/** The fetcher tuf-js uses for metadata: every file through openUrl. */
export class FeedFetcher extends BaseFetcher {
  constructor(private readonly opts: FetchOptions = {}) {
    super();
  }

  override async fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    const { stream } = await openUrl(url, this.opts);
    return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array<ArrayBuffer>>;
  }
}

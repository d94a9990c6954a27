/**
 * Runs in the page served by the e2e host: provides `window.wslk` (the same API the Electron
 * preload exposes, built with createApi) over a loopback channel: POST /api/<channel> for calls,
 * an EventSource on /api/events for progress and machine changes.
 *
 * The host authenticates every request with an HttpOnly, SameSite=Strict cookie it set when the
 * page was opened with its token, so this script never sees the token.
 */
import { ERRORS } from '../../shared/errors';
import { FIRST_QUESTIONS, createApi } from '../../shared/ipc-api';
import type { AppEvent, Channel, WslkApi } from '../../shared/ipc-api';

const listeners = new Set<(event: AppEvent) => void>();
let source: EventSource | null = null;

function hostError(message: string) {
  const info = ERRORS['io-error'];
  return { ok: false, error: { code: 'io-error', title: 'The test host did not answer', message, remedy: info.remedy } };
}

async function invoke(channel: Channel, request: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request ?? {}),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    return hostError('The connection to the host was lost. Is it still running?');
  }
  if (!response.ok) return hostError(`The host refused the request (HTTP ${response.status}).`);
  return response.json();
}

type Answer = { ok: true } | { ok: false; message: string };

async function answer(response: Promise<Response>): Promise<Answer> {
  try {
    const res = await response;
    return (await res.json()) as Answer;
  } catch {
    return { ok: false, message: 'The connection to the host was lost. Is it still running?' };
  }
}

/** The browser's own pickers: their answers go to the host, which hands them to the next dialog. */
const browserHost: NonNullable<WslkApi['browserHost']> = {
  upload: (kind, file, name) =>
    answer(
      fetch(`/host/upload/${kind}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
        body: file,
        credentials: 'same-origin',
      }),
    ),
  chooseFolder: (path) =>
    answer(fetch('/host/folder', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path }), credentials: 'same-origin' })),
};

const api: WslkApi = createApi({
  invoke,
  subscribe(listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  ready() {
    if (source) return;
    // The host queues events until this stream is open, so none are lost before the page is ready.
    source = new EventSource('/api/events', { withCredentials: true });
    source.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as AppEvent;
      for (const listener of listeners) listener(event);
    };
  },
}, { prefetch: FIRST_QUESTIONS });
api.browserHost = browserHost;
(window as unknown as { wslk: WslkApi }).wslk = api;

/**
 * The one wrapper every IPC request goes through: check the channel, parse the raw request with
 * its zod schema, run the handler, and return a typed result or a typed error.
 */
import { ERRORS, KernelSetupError } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';
import type { Channel, IpcResult, Responses } from '../../shared/ipc';
import { channels } from '../../shared/ipc';
import type { z } from 'zod';

type Parsed<C extends Channel> = z.output<(typeof channels)[C]>;

/** One function per channel, given the request its schema parsed (src/main/app/handlers.ts builds them). */
export type Handlers = { [C in Channel]: (request: Parsed<C>) => Promise<Responses[C]> };

type IpcError = Extract<IpcResult<unknown>, { ok: false }>['error'];

function errorOf(code: ErrorCode, message?: string): IpcError {
  const info = ERRORS[code];
  return { code, title: info.title, message: message ?? info.explanation, remedy: info.remedy };
}

/**
 * The IPC error for anything a handler threw: a KernelSetupError keeps its code and message;
 * anything else is an unexpected bug, reported as `io-error` with the standard text (its message and
 * stack stay in main, where `onUnexpected` can log them).
 */
export function toIpcError(err: unknown): IpcError {
  if (err instanceof KernelSetupError) return errorOf(err.code, err.message);
  return errorOf('io-error');
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

export interface InvokeOptions {
  /** Called with errors that are not KernelSetupErrors (bugs), for the log. */
  onUnexpected?: (err: unknown, channel: string) => void;
}

/** Parse `rawRequest` for `channel`, run its handler, and wrap the outcome as an IpcResult. */
export async function invokeChannel<C extends Channel>(
  handlers: Handlers,
  channel: C,
  rawRequest: unknown,
  opts: InvokeOptions = {},
): Promise<IpcResult<Responses[C]>> {
  if (!isChannel(channel)) return { ok: false, error: errorOf('usage', `Unknown request "${String(channel).slice(0, 64)}".`) };
  const parsed = channels[channel].safeParse(rawRequest ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, error: errorOf('usage', `Invalid request for "${channel}": ${where}${issue?.message ?? 'malformed'}.`) };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<Responses[C]>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (!(err instanceof KernelSetupError)) opts.onUnexpected?.(err, channel);
    return { ok: false, error: toIpcError(err) };
  }
}

/**
 * tuf-js and network failures as the product's error codes (docs/design.md §12). tuf-js wraps some errors
 * into a message string, so the class is checked first and the message second.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import { FeedNetworkError } from './fetcher';

const RULES: [RegExp, ErrorCode][] = [
  [/feed unreachable/i, 'feed-unreachable'],
  [/expired/i, 'feed-metadata-expired'],
  [/less than current version|does not match snapshot version|doesn't match timestamp|Expected version \d+, got/i, 'feed-rollback-refused'],
  [/signature|signed by \d+\/\d+ keys|threshold|unsigned|keyid|Unsupported key/i, 'feed-signature-invalid'],
];

/** What went wrong while reading the feed's metadata, as a KernelSetupError. */
export function mapFeedError(err: unknown, feed: string): KernelSetupError {
  if (err instanceof KernelSetupError) return err;
  const e = err as Error & { statusCode?: number };
  const text = `${e?.name ?? ''} ${e?.message ?? String(err)}`;
  if (err instanceof FeedNetworkError) return new KernelSetupError('feed-unreachable', `The feed ${feed} could not be reached (${e.message.replace(/^feed unreachable: /, '')}).`);
  if (e?.name === 'DownloadHTTPError' || e?.statusCode) {
    return new KernelSetupError('feed-unreachable', `The feed ${feed} has no such file (HTTP ${e.statusCode ?? '?'}): is the address right?`);
  }
  for (const [re, code] of RULES) {
    if (re.test(text)) return new KernelSetupError(code, `${feedWords(code)} (${e.message}).`, { feed });
  }
  return new KernelSetupError('feed-invalid', `The feed ${feed} could not be read: ${e?.message ?? String(err)}.`, { feed });
}

function feedWords(code: ErrorCode): string {
  switch (code) {
    case 'feed-metadata-expired':
      return 'The feed\'s signed information has expired, so it may be stale or frozen';
    case 'feed-rollback-refused':
      return 'The feed offered older information than this computer has already seen';
    case 'feed-signature-invalid':
      return 'The feed\'s signature is not valid';
    default:
      return 'The feed could not be read';
  }
}

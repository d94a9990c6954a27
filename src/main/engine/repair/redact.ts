/**
 * Remove what identifies the user from text that leaves the machine (the diagnostics bundle):
 * the home folder becomes `~`, the user name in a path becomes `<user>`.
 */
import { homedir, userInfo } from 'node:os';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Both spellings of a path: with `\` and with `/`. */
function spellings(path: string): string[] {
  return [...new Set([path, path.replace(/\\/g, '/'), path.replace(/\//g, '\\')])].filter((p) => p.length > 1);
}

export interface RedactOptions {
  home?: string;
  user?: string;
}

export function makeRedactor(opts: RedactOptions = {}): (text: string) => string {
  let user = opts.user;
  if (user === undefined) {
    try {
      user = userInfo().username;
    } catch {
      user = '';
    }
  }
  const home = opts.home ?? homedir();
  const rules: [RegExp, string][] = [];
  // Longest first, so `C:\Users\ann` wins over a shorter form of the same folder.
  for (const h of spellings(home).sort((a, b) => b.length - a.length)) {
    rules.push([new RegExp(`${escape(h)}(?=$|[\\\\/"'\\s,;:)])`, 'gi'), '~']);
  }
  // Profile folders of any user: C:\Users\<name>, /home/<name>, /Users/<name>.
  rules.push([/\b([A-Za-z]:[\\/]+Users[\\/]+)(?!Public\b|Default\b|All Users\b)[^\\/"'\s,;]+/gi, '$1<user>']);
  rules.push([/(^|[\s"'=(,])(\/home\/|\/Users\/)[^/"'\s,;]+/g, '$1$2<user>']);
  if (user) {
    // The name as a path segment anywhere else (e.g. D:\work\ann\kernel), or a DOMAIN\name account.
    // (Not as a plain word: a user named "kernel" must not blank out the whole report.)
    rules.push([new RegExp(`(^|[\\\\/])${escape(user)}(?=$|[\\\\/])`, 'gi'), '$1<user>']);
  }
  return (text) => rules.reduce((t, [re, to]) => t.replace(re, to), text);
}

/** Apply `redact` to every string (keys included) of a JSON-shaped value. */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [redact(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * The order of kernel releases and versions (docs/design.md, "Version order").
 *
 * A release such as `6.12.96+deb13-cloud-amd64`, `6.1.0-47-cloud-amd64` or
 * `5.15.153.1-microsoft-standard-WSL2+` is read as
 *   1. its numeric dotted version: the leading `N(.N)*` (`6.12.96`), compared number by number,
 *      of any length, a missing number counting as 0;
 *   2. then its distro revision numbers: the numbers in the rest of the version (`+deb13` → 13),
 *      then the leading `N(.N)*` of the part after the first `-` (Debian's and Ubuntu's ABI number:
 *      `-47-cloud-amd64` → 47, `-1017-azure` → 1017), each list compared number by number, a
 *      shorter list first when one is a prefix of the other (`6.12.96` < `6.12.96+deb13`).
 *   Steps 1–2 give the *level* of a kernel: install refuses a payload of a lower level than the
 *   installed kernel as a downgrade; two kernels of one level (flavours `-cloud` and `-rt`, a
 *   custom `+` build of the same tree) are neither older nor newer.
 *   3. For a strict total order (sorting), equal levels are then compared by the rest segment by
 *      segment, where a segment is a run of digits (compared as a number, and before any text) or
 *      a run of other characters (compared by code units), a rest that ends first sorting first
 *      (`…-WSL2` < `…-WSL2+`);
 *   4. and when all of that is equal (`5.15` and `5.15.0`, `05` and `5`), by the text itself, so
 *      two different strings are never equal.
 */

interface Key {
  numbers: string[];
  revision: string[];
  abi: string[];
  rest: string[];
}

const NUMERIC = /^\d+(?:\.\d+)*/;

function dotted(s: string): string {
  return NUMERIC.exec(s)?.[0] ?? '';
}

function key(s: string): Key {
  const head = dotted(s);
  const rest = s.slice(head.length);
  const dash = rest.indexOf('-');
  const suffix = dash < 0 ? rest : rest.slice(0, dash);
  const abi = dash < 0 ? '' : dotted(rest.slice(dash + 1));
  return {
    numbers: head ? head.split('.') : [],
    revision: suffix.match(/\d+/g) ?? [],
    abi: abi ? abi.split('.') : [],
    rest: rest.match(/\d+|\D+/g) ?? [],
  };
}

/** Compare two runs of digits as numbers of any size. */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const isDigits = (s: string) => s.charCodeAt(0) >= 0x30 && s.charCodeAt(0) <= 0x39;

function compareRest(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const dx = isDigits(x);
    const dy = isDigits(y);
    const c = dx && dy ? compareDigits(x, y) : dx !== dy ? (dx ? -1 : 1) : compareText(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Number lists compared number by number; a missing number is 0 (`padded`) or sorts first. */
function compareNumbers(a: string[], b: string[], padded: boolean): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? (padded ? '0' : undefined);
    const y = b[i] ?? (padded ? '0' : undefined);
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareDigits(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

function compareKeyLevels(ka: Key, kb: Key): number {
  return compareNumbers(ka.numbers, kb.numbers, true) || compareNumbers(ka.revision, kb.revision, false) || compareNumbers(ka.abi, kb.abi, false);
}

/** Compare the levels (steps 1–2): -1 older, 0 same level, 1 newer. What "downgrade" means. */
export function compareLevels(a: string, b: string): -1 | 0 | 1 {
  const c = compareKeyLevels(key(a), key(b));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** Compare two releases (or versions) by the order above: -1, 0 (only for equal strings) or 1. */
export function compareReleases(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  const ka = key(a);
  const kb = key(b);
  let c = compareKeyLevels(ka, kb);
  if (c === 0) c = compareRest(ka.rest, kb.rest);
  if (c === 0) c = compareText(a, b);
  return c < 0 ? -1 : 1;
}

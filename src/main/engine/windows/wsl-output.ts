/**
 * Decoding what `wsl.exe` prints (docs/design.md §3): UTF-16LE without a BOM, or UTF-8 when WSL_UTF8=1 is set in
 * the environment, so the encoding is read from the bytes, never assumed. Only names are parsed;
 * prose is localized.
 */

/** Decodes wsl.exe output, whichever encoding it chose, and drops a BOM. */
export function decodeWslOutput(buf: Uint8Array): string {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  let text: string;
  if (b[0] === 0xff && b[1] === 0xfe) text = b.subarray(2, 2 + ((b.length - 2) & ~1)).toString('utf16le');
  else if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) text = b.subarray(3).toString('utf8');
  else if (looksUtf16le(b)) text = b.subarray(0, b.length & ~1).toString('utf16le');
  else text = b.toString('utf8');
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

/**
 * UTF-16LE text has a NUL in the high (odd) byte of every ASCII character; UTF-8 has no NULs at
 * all, barring a stray one. Names in other scripts lower the share, but line ends still give some.
 */
function looksUtf16le(b: Buffer): boolean {
  let odd = 0;
  let even = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] !== 0) continue;
    if (i % 2 === 1) odd++;
    else even++;
  }
  const units = Math.floor(b.length / 2);
  return units > 0 && odd > even && odd * 4 >= units;
}

/** The names from `wsl.exe --list --running --quiet` output: one a line, blank lines and NULs dropped. */
export function parseRunningDistros(buf: Uint8Array | string): string[] {
  const text = typeof buf === 'string' ? buf : decodeWslOutput(buf);
  return text
    .replace(/\0/g, '')
    .split(/\r*\n|\r+/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

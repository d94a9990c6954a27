/**
 * The bytes of a `.wslconfig` file as text, the way WSL opens it, and back.
 *
 * WSL opens the file with `_wfopen(path, L"rt,ccs=UTF-8")` (microsoft/WSL
 * `src/windows/common/WslCoreConfig.cpp`). The C runtime then picks the encoding from the byte
 * order mark: a UTF-16LE BOM means UTF-16LE, a UTF-8 BOM or none means UTF-8; the BOM itself is
 * not part of the text. Text mode turns CR LF into LF while reading (see `CharReader`), and a
 * Ctrl+Z ends the input.
 *
 * Decoding keeps the CR LF pairs, so that the writer can put every byte back as it was.
 */

export type WslConfigEncoding = 'utf8' | 'utf8-bom' | 'utf16le-bom';

export interface DecodedText {
  encoding: WslConfigEncoding;
  text: string;
  /** False when the bytes are not valid in their encoding (WSL reads U+FFFD there); such a file is never rewritten. */
  clean: boolean;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function decodeWslConfig(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    const body = bytes.subarray(2);
    const even = body.length % 2 === 0;
    const text = new TextDecoder('utf-16le', { ignoreBOM: true }).decode(even ? body : body.subarray(0, body.length - 1));
    return { encoding: 'utf16le-bom', text, clean: even && !hasLoneSurrogate(text) };
  }
  const bom = bytes.length >= 3 && UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  let clean = true;
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    clean = false;
  }
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  return { encoding: bom ? 'utf8-bom' : 'utf8', text, clean };
}

export function encodeWslConfig(text: string, encoding: WslConfigEncoding): Buffer {
  if (encoding === 'utf16le-bom') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const body = Buffer.from(text, 'utf8');
  return encoding === 'utf8-bom' ? Buffer.concat([Buffer.from(UTF8_BOM), body]) : body;
}

function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

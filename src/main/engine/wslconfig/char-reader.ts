/**
 * `fgetwc` over decoded `.wslconfig` text, and the C character classes the parser uses
 * (microsoft/WSL `src/shared/configfile/configfile.cpp`: `IsHSpace`, `isalpha`, `isalnum` in the
 * C locale).
 */

export const WEOF = -1;
export const CR = 0x0d;
export const LF = 0x0a;

/** `fgetwc` on a file opened in text mode: CR LF reads as LF, Ctrl+Z or the end gives WEOF. */
export class CharReader {
  pos = 0;
  eof = false;
  private before = 0;
  constructor(
    private readonly text: string,
    private readonly textMode: boolean,
  ) {}

  /** Offset of the character the last `get` returned. */
  last(): number {
    return this.before;
  }

  get(): number {
    this.before = this.pos;
    if (this.pos >= this.text.length || (this.textMode && this.text.charCodeAt(this.pos) === 0x1a)) {
      this.eof = true;
      return WEOF;
    }
    const c = this.text.charCodeAt(this.pos);
    if (this.textMode && c === CR && this.text.charCodeAt(this.pos + 1) === LF) {
      this.pos += 2;
      return LF;
    }
    this.pos += 1;
    return c;
  }

  /** `ungetwc`: a no-op for WEOF, as in the C runtime. */
  unget(c: number): void {
    if (c !== WEOF) this.pos = this.before;
  }
}

export const isHSpace = (c: number): boolean => c === 0x20 || c === 0x09;
export const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
export const isAlnum = (c: number): boolean => isAlpha(c) || (c >= 0x30 && c <= 0x39);

/**
 * WSL appends each UTF-16 unit to a `std::string` with `static_cast<char>` and later converts that
 * string from UTF-8 (`MultiByteToWide`, CP_UTF8, invalid bytes → U+FFFD; the C string ends at a 0).
 */
export function toWslString(units: number[]): string {
  const bytes: number[] = [];
  for (const u of units) {
    const b = u & 0xff;
    if (b === 0) break;
    bytes.push(b);
  }
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(Uint8Array.from(bytes));
}

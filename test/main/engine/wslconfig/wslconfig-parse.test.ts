/**
 * The reader against WSL's own expectations: the warning texts and line numbers asserted by
 * microsoft/WSL test/windows/UnitTests.cpp (tests `Warnings` and the /etc/wsl.conf warnings test),
 * and the escapes of src/shared/configfile/configfile.cpp.
 */
import { describe, expect, it } from 'vitest';
import { parseWslConfig } from '../../../../src/main/engine/wslconfig';

const P = 'C:\\Users\\alice\\.wslconfig';
const values = (text: string): Record<string, string> =>
  Object.fromEntries([...parseWslConfig(text, P).effective.values()].map((e) => [e.fullKey, e.value]));
const warnings = (text: string, path = P, textMode = true): string[] => parseWslConfig(text, path, { textMode }).warnings.map((w) => w.text);

describe('wslconfig reader: WSL test suite expectations', () => {
  it('reports the same warnings as WSL for .wslconfig (prefix "[wsl2]\\n")', () => {
    expect(warnings('[wsl2]\nnetworkingMode=a\\m')).toEqual([`Invalid escaped character: 'm' in ${P}:2`]);
    expect(warnings('[wsl2]\nnetworkingMode=NAT\n[experimental]\nnetworkingMode=Mirrored')).toEqual([
      `Duplicated config key 'experimental.networkingMode' in ${P}:4 (Conflicting key: 'wsl2.networkingMode' in ${P}:2)`,
    ]);
    expect(warnings('[wsl2]\nipv6=true\nipv6=false')).toEqual([
      `Duplicated config key 'wsl2.ipv6' in ${P}:3 (Conflicting key: 'wsl2.ipv6' in ${P}:2)`,
    ]);
    expect(warnings('[wsl2]\na=b')).toEqual([`Unknown key 'wsl2.a' in ${P}:2`]);
    expect(warnings('[=b')).toEqual([`Invalid section name in ${P}:1`]);
    expect(warnings('[sectionNotComplete')).toEqual([`Expected ']' in ${P}:1`]);
    expect(warnings('[wsl2]\nNoEqual')).toEqual([`Expected '=' in ${P}:2`]);
  });

  it('counts lines as the Linux side does for /etc/wsl.conf (no text mode)', () => {
    const conf = '/etc/wsl.conf';
    expect(warnings('[foo]\na=b', conf, false)).toEqual([`Unknown key 'foo.a' in ${conf}:2`]);
    expect(warnings('a=a\\m', conf, false)).toEqual([`Invalid escaped character: 'm' in ${conf}:1`]);
    expect(warnings('[=b', conf, false)).toEqual([`Invalid section name in ${conf}:1`]);
    expect(warnings('\r\n\r\n[foo]\r\na=b', conf, false)).toEqual([`Unknown key 'foo.a' in ${conf}:5`]);
  });
});

describe('wslconfig reader: values', () => {
  it('applies the escapes \\\\ \\" \\n \\t \\b and drops the line on any other', () => {
    expect(values('[wsl2]\nkernel=C:\\\\tools\\\\kernel')).toEqual({ 'wsl2.kernel': 'C:\\tools\\kernel' });
    expect(values('[wsl2]\nswapFile=a\\"b\\nc\\td\\be')).toEqual({ 'wsl2.swapFile': 'a"b\nc\td\be' });
    const doc = parseWslConfig('[wsl2]\nkernel=C:\\Windows\\kernel\nmemory=4GB\n', P);
    expect(doc.effective.has('wsl2.kernel')).toBe(false);
    expect(doc.entries[0]?.valid).toBe(false);
    expect(doc.warnings.map((w) => w.text)).toEqual([`Invalid escaped character: 'W' in ${P}:2`]);
    expect(values('[wsl2]\nkernel=C:\\Windows\\kernel\nmemory=4GB\n')).toEqual({ 'wsl2.memory': '4GB' });
  });

  it('single backslashes: C:\\tools\\kernel is dropped (\\k), C:\\temp\\bzImage becomes TAB and BS', () => {
    const dropped = parseWslConfig('[wsl2]\nkernel=C:\\tools\\kernel\n', P);
    expect(dropped.effective.size).toBe(0);
    expect(dropped.warnings[0]?.text).toBe(`Invalid escaped character: 'k' in ${P}:2`);
    expect(values('[wsl2]\nkernel=C:\\temp\\bzImage\n')).toEqual({ 'wsl2.kernel': 'C:\temp\bzImage' });
    expect(values('[wsl2]\nkernel=D:\\tools\\new\n')).toEqual({ 'wsl2.kernel': 'D:\tools\new' });
  });

  it('comments, quotes, blanks and continuation lines', () => {
    expect(values('[wsl2] # header\nkernel = "C:\\\\a b\\\\#k"   # c\nswap=0\\\n  GB\n')).toEqual({
      'wsl2.kernel': 'C:\\a b\\#k',
      'wsl2.swap': '0  GB',
    });
    expect(values('[wsl2]\nswapFile=" x "  \nmemory=4GB   \t\n')).toEqual({ 'wsl2.swapFile': ' x ', 'wsl2.memory': '4GB' });
    expect(warnings('[wsl2]\nkernel="C:\\\\k\nmemory=1GB')).toEqual([`Expected " in ${P}:2`]);
    expect(values('[wsl2]\nkernel="C:\\\\k\nmemory=1GB')).toEqual({ 'wsl2.memory': '1GB' });
    expect(values('[wsl2]\r\nkernel=C:\\\\k\\\r\n\\\\x\r\n')).toEqual({ 'wsl2.kernel': 'C:\\k\\x' });
  });

  it('matches keys and sections case-insensitively, first value wins', () => {
    const doc = parseWslConfig('[WSL2]\nKERNEL=C:\\\\a\n[wsl2]\nkernel=C:\\\\b\n', P);
    expect(doc.effective.get('wsl2.kernel')?.value).toBe('C:\\a');
    expect(doc.warnings.map((w) => w.kind)).toEqual(['duplicate-key']);
  });

  it('a key before any section or in another section is not wsl2.kernel', () => {
    expect(values('kernel=C:\\\\a\n[experimental]\nkernel=C:\\\\b\n')).toEqual({});
    expect(warnings('kernel=C:\\\\a\n')).toEqual([`Unknown key 'kernel' in ${P}:1`]);
  });

  it('a broken section header leaves its name cut to the old length behind (std::string::resize)', () => {
    // "[experimental" fails at the missing "]": the key string holds "experimental", resized to 4.
    expect(warnings('[wsl2]\n[experimental\nkernel=x\n')).toEqual([`Expected ']' in ${P}:2`, `Unknown key 'expe.kernel' in ${P}:3`]);
    // "[ab" fails shorter than "wsl2": padded with NULs, the C string ends at "ab".
    expect(warnings('[wsl2]\n[ab\nkernel=x\n')).toEqual([`Expected ']' in ${P}:2`, `Unknown key 'ab' in ${P}:3`]);
  });

  it('keeps each UTF-16 unit as one byte and decodes the bytes as UTF-8, as WSL does', () => {
    expect(values('[wsl2]\nkernel=C:\\\\Jos\u00e9\\\\k')).toEqual({ 'wsl2.kernel': 'C:\\Jos\ufffd\\k' });
    expect(values('[wsl2]\nkernel=C:\\\\Jos\u00c3\u00a9\\\\k')).toEqual({ 'wsl2.kernel': 'C:\\José\\k' });
    expect(values('[wsl2]\nkernel=ab\u0100cd')).toEqual({ 'wsl2.kernel': 'ab' });
  });

  it('text mode: CR LF is one line break and Ctrl+Z ends the file', () => {
    expect(values('[wsl2]\r\nkernel=C:\\\\a\r\n\x1amemory=1GB\r\n')).toEqual({ 'wsl2.kernel': 'C:\\a' });
    expect(warnings('\r\n\r\n[foo]\r\na=b')).toEqual([`Unknown key 'foo.a' in ${P}:4`]);
  });

  it('records where each value sits in the text', () => {
    const text = '[wsl2]\r\n  kernel =  C:\\\\k  # mine\r\n';
    const e = parseWslConfig(text, P).entries[0];
    expect(e && text.slice(e.valueStart, e.valueEnd)).toBe('C:\\\\k');
    expect(e && text.slice(e.commentStart, e.lineEnd)).toBe('# mine');
    expect(e && text.slice(e.lineStart, e.valueStart)).toBe('  kernel =  ');
  });
});

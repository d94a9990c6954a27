/** How long an x64 bzImage says it is, so a truncated copy is not taken for a kernel. */

/** Magic numbers of the compressed kernels a bzImage can carry (gzip, bzip2, lzma, xz, lzo, lz4, zstd). */
const PAYLOAD_MAGICS = ['1f8b', '425a68', '5d0000', 'fd377a585a00', '894c5a4f', '02214c18', '28b52ffd'].map((h) => Buffer.from(h, 'hex'));

/**
 * The file size an x64 bzImage header declares: the setup sectors plus the protected-mode code
 * (syssize, in 16-byte units). Real images are at least this long (signed ones longer); a shorter
 * file was cut off, even though its header still reads fine. The size is only believed when the
 * header is a real kernel's (boot protocol 2.08+, its compressed payload inside the declared code
 * and starting with a known magic): synthetic images with random bytes there declare nothing.
 */
export function declaredX64Size(head: Buffer): number | null {
  if (head.length < 0x250 || head.readUInt16LE(0x206) < 0x0208) return null;
  const syssize = head.readUInt32LE(0x1f4);
  const setup = ((head[0x1f1] || 4) + 1) * 512;
  const payloadOffset = head.readUInt32LE(0x248);
  const payloadLength = head.readUInt32LE(0x24c);
  if (syssize === 0 || payloadLength === 0 || payloadOffset + payloadLength > syssize * 16) return null;
  const at = setup + payloadOffset;
  if (!PAYLOAD_MAGICS.some((m) => at + m.length <= head.length && head.subarray(at, at + m.length).equals(m))) return null;
  return setup + syssize * 16;
}

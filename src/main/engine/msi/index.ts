/** Reading the kernel out of a Windows Installer package (wsl_update_x64.msi). */
export { extractKernelFromMsi, listMsiFiles, type ExtractedKernel, type ExtractOptions, type MsiFile } from './extract-kernel';
export { MAX_UNCOMPRESSED, cabChecksum, type Compression } from './cabinet';
export { decodeStreamName, encodeStreamName } from './stream-names';

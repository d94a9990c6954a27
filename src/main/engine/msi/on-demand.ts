/**
 * The package reader (MSI tables, CFB storage, MSZIP and LZX cabinets), loaded when a payload is a
 * package. The CLI bundle replaces this file with ./on-demand-split.ts, a dynamic import, so an
 * install of a kernel file parses none of it (docs/design.md §9).
 */
import * as packageReader from './package-payload';

export const loadPackageReader = async (): Promise<typeof packageReader> => packageReader;

/**
 * Repair and diagnosis (and through them the pasted-error reader and the MSI fixes), loaded by the
 * Engine when asked for. The CLI bundle replaces this file with ./on-demand-split.ts, a dynamic
 * import, so the other commands do not parse repair at start-up (docs/design.md §9).
 */
import * as repair from './commands';

export const loadRepair = async (): Promise<typeof repair> => repair;

/** The CLI bundle's ./on-demand.ts: the same loader as a dynamic import (docs/design.md §9). */
import type * as Whole from './on-demand';

export const loadRepair: typeof Whole.loadRepair = () => import('./commands');

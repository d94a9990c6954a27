/** The CLI bundle's ./on-demand.ts: the same loaders as dynamic imports (docs/design.md §9). */
import type * as Whole from './on-demand';

export const loadFeed: typeof Whole.loadFeed = () => import('./feed/update-commands');
export const loadSandbox: typeof Whole.loadSandbox = () => import('./sandbox');

/**
 * The facade's parts that most commands never run: the signed feed (TUF, HTTP) and the sandbox
 * presets and kernel builders. The facade reaches them only through these loaders.
 *
 * Here they load with the rest of the engine, as every TypeScript runner can. The CLI bundle
 * replaces each `on-demand.ts` with the `on-demand-split.ts` beside it (scripts/build-cli.mts),
 * whose loaders are dynamic imports: `status` and `install` parse none of this code
 * (docs/design.md §9).
 */
import * as feed from './feed/update-commands';
import * as sandbox from './sandbox';

export const loadFeed = async (): Promise<typeof feed> => feed;
export const loadSandbox = async (): Promise<typeof sandbox> => sandbox;

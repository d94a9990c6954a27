/**
 * The layer rules of docs/design.md §9, checked by `npm run lint:deps` (and `npm test`):
 * dependencies point one way, entry points → engine facade → operations → steps → primitives, and
 * a lower layer never imports a higher one. Type-only imports count too.
 */
const E = '^src/main/engine/';
const PRIMITIVES = `${E}(machine|kernel|state|registry|msi|windows)/`;
const ENTRY = '^src/main/(cli|electron|browser-host|app)/';

const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

export default {
  forbidden: [
    forbid('no-cycle', 'An import cycle: the layers must not loop.', { path: '^src/' }, { circular: true }),
    forbid('no-electron-outside-electron', 'Only src/main/electron imports electron: the engine, the CLI and the browser host run under plain Node.', { path: '^src/', pathNot: '^src/main/electron/' }, { path: '^electron$', dependencyTypes: ['npm', 'npm-dev', 'core', 'unknown', 'npm-no-pkg'] }),
    forbid('renderer-through-preload', 'The renderer reaches main only through the preload API (src/shared).', { path: '^src/renderer/' }, { path: '^src/main/' }),
    forbid('shared-is-shared', 'src/shared is used by both sides and depends on neither.', { path: '^src/shared/' }, { path: '^src/(main|renderer)/' }),
    forbid('entry-through-facade', 'Entry points use the engine through its facade, src/main/engine/index.ts.', { path: ENTRY }, { path: E, pathNot: `${E}index\\.ts$` }),
    forbid('engine-not-up', 'The engine never imports an entry point.', { path: E }, { path: ENTRY }),
    forbid('entry-points-apart', 'The CLI, Electron and the browser host do not import one another (what they share is in src/main/app).', { path: '^src/main/(cli|electron|browser-host)/' }, { path: '^src/main/(cli|electron|browser-host)/', pathNot: '^src/main/$1/' }),
    forbid('app-below-hosts', 'src/main/app is shared by the UI hosts and imports none of them.', { path: '^src/main/app/' }, { path: '^src/main/(cli|electron|browser-host)/' }),
    forbid('facade-on-top', 'Nothing inside the engine imports its facade or openMachine.', { path: E, pathNot: `${E}(index|open-machine)\\.ts$` }, { path: `${E}(index|open-machine)\\.ts$` }),
    forbid('sandbox-only-from-facade', 'Sandbox presets and kernel builders are fixtures: only openMachine (and the facade, through its on-demand loaders) reach them.', { path: E, pathNot: `${E}(index\\.ts|open-machine\\.ts|on-demand(-split)?\\.ts|sandbox/)` }, { path: `${E}sandbox/` }),
    forbid('engine-below-sandbox', 'The Engine class never imports the sandbox.', { path: `${E}engine\\.ts$` }, { path: `${E}sandbox/` }),
    forbid('repair-below-engine', 'Repair commands run on the CommandRunner, not on the Engine above them.', { path: `${E}repair/` }, { path: `${E}engine\\.ts$` }),
    forbid('ops-below-repair', 'Operations never import the repair commands above them.', { path: `${E}ops/` }, { path: `${E}(repair|engine\\.ts$)` }),
    forbid('steps-below-ops', 'Steps are shared by operations and import none of them.', { path: `${E}steps/` }, { path: `${E}(ops|repair)/|${E}engine\\.ts$` }),
    forbid('primitives-at-the-bottom', 'machine, kernel, state, registry, msi and windows import no step, operation or command.', { path: PRIMITIVES }, { path: `${E}(steps|ops|repair)/|${E}engine\\.ts$` }),
    forbid('machine-is-lowest', 'machine/ (the ports and their file-system helpers) imports no other engine folder.', { path: `${E}machine/` }, { path: E, pathNot: `${E}machine/` }),
    forbid('state-above-readers', 'kernel, registry, msi and windows do not import the tool state.', { path: `${E}(kernel|registry|msi|windows)/` }, { path: `${E}state/` }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};

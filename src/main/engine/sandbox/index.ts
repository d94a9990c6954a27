/** The sandbox: a folder that stands for a Windows machine, its presets, and the demo kernel builder. */
export { initSandbox, PRESETS } from './presets';
export { openSandbox } from './sandbox-machine';
export { writeDemoKernel } from './kernel-builder';

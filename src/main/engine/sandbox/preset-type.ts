/** The shape of a sandbox preset (`sandbox init DIR --preset NAME`). */
import type { StoreRegOptions } from './store-presets';

export interface RegOptions extends StoreRegOptions {
  build?: number;
  ubr?: number;
  arch?: 'AMD64' | 'ARM64';
  wsl?: boolean;
  vmPlatform?: boolean;
  rebootPending?: boolean;
}

export interface Preset {
  description: string;
  reg: RegOptions;
  json?: Record<string, unknown>;
  /** Engine steps run on the new sandbox after its files exist. */
  setup?: (root: string, kernels: (version: string) => Promise<string>) => Promise<void>;
}

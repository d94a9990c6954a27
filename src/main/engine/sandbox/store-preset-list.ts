/** The store-WSL presets (DESIGN §3.1): `sandbox init DIR --preset store-fresh` and the others. */
import type { Preset } from './preset-type';
import { CUSTOM_KERNEL, SANDBOX_USER, STORE_WSL, writeCustomKernel, writeStoreWsl, writeUserWslConfig } from './store-presets';

export const STORE_REG = { build: 22631, ubr: 4460, store: true } as const;
const reg = STORE_REG;
export const STORE_JSON = { user: SANDBOX_USER.name, wsl: { running: ['Ubuntu'], distributions: ['Ubuntu'], shutdowns: 0 } };
const customLine = `kernel=${CUSTOM_KERNEL.path.replace(/\\/g, '\\\\')}`;
const wslconfig = (...lines: string[]) => ['# WSL settings', '[wsl2]', 'memory=8GB', ...lines, ''].join('\r\n');

const json = STORE_JSON;

export const storePresets: Record<string, Preset> = {
  'store-fresh': {
    description: `Windows 11 with WSL ${STORE_WSL.version} from the Store (its own kernel ${STORE_WSL.kernel}), no .wslconfig`,
    reg,
    json,
    setup: async (root) => writeStoreWsl(root),
  },
  'store-custom': {
    description: `store WSL; alice's .wslconfig boots a kernel the tool does not own (${CUSTOM_KERNEL.path})`,
    reg,
    json,
    setup: async (root) => {
      await writeStoreWsl(root);
      await writeCustomKernel(root);
      await writeUserWslConfig(root, wslconfig(customLine));
    },
  },
  'store-bad-escape': {
    description: 'store WSL; .wslconfig says kernel=C:\\tools\\kernel with single backslashes (WSL drops the line: invalid escape \\k)',
    reg,
    json,
    setup: async (root) => {
      await writeStoreWsl(root);
      await writeCustomKernel(root, 'C:\\tools\\kernel');
      await writeUserWslConfig(root, wslconfig('kernel=C:\\tools\\kernel'));
    },
  },
  'store-policy-blocked': {
    description: 'store WSL; .wslconfig names a custom kernel but the policy AllowKernelUserSetting = 0 makes WSL ignore it',
    reg: { ...reg, allowKernelUserSetting: 0 },
    json,
    setup: async (root) => {
      await writeStoreWsl(root);
      await writeCustomKernel(root);
      await writeUserWslConfig(root, wslconfig(customLine));
    },
  },
  'store-missing-custom': {
    description: 'store WSL; .wslconfig kernel= names a file that does not exist (WSL fails with WSL_E_CUSTOM_KERNEL_NOT_FOUND)',
    reg,
    json,
    setup: async (root) => {
      await writeStoreWsl(root);
      await writeUserWslConfig(root, wslconfig('kernel=C:\\\\kernels\\\\gone\\\\bzImage'));
    },
  },
};

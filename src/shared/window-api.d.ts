/** The preload's API as the renderer sees it: `window.wslk` (src/main/electron/preload.ts, or the e2e host). */
import type { WslkApi } from './ipc';

declare global {
  interface Window {
    wslk: WslkApi;
  }
}

export {};

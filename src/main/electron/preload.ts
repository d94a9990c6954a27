/**
 * The sandboxed preload: exposes `window.wslk`, the app's domain API (one method per action, an
 * event subscription that returns its unsubscribe, and the ready signal). The page never sees
 * ipcRenderer or a channel name it could choose.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { FIRST_QUESTIONS, IPC_EVENT_CHANNEL, IPC_INVOKE_PREFIX, IPC_READY_CHANNEL, createApi } from '../../shared/ipc-api';
import type { AppEvent } from '../../shared/ipc-api';

const api = createApi({
  invoke: (channel, request) => ipcRenderer.invoke(IPC_INVOKE_PREFIX + channel, request),
  subscribe(listener) {
    // The Electron event object stays here: the page only receives the AppEvent.
    const forward = (_event: IpcRendererEvent, event: AppEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
  ready: () => ipcRenderer.send(IPC_READY_CHANNEL),
}, { prefetch: FIRST_QUESTIONS });

contextBridge.exposeInMainWorld('wslk', api);

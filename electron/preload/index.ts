// The preload exposes exactly one typed API to the page: invoke a contract method, listen for
// "data changed" notifications, and listen for the menu's "show this screen". No Node, no
// ipcRenderer, no other channel reaches the renderer; listeners get plain strings, never the
// IpcRendererEvent (whose `sender` would hand the page ipcRenderer itself).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANGE, IPC_INVOKE, IPC_NAVIGATE, isScreen, type Screen } from '../main/ipc-channels';

function subscribe<T>(channel: string, accept: (v: unknown) => v is T, listener: (v: T) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, value: unknown) => {
    if (accept(value)) listener(value);
  };
  ipcRenderer.on(channel, wrapped);
  return () => void ipcRenderer.off(channel, wrapped);
}

const isString = (v: unknown): v is string => typeof v === 'string';

contextBridge.exposeInMainWorld('reverie', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(IPC_INVOKE, method, input),
  onChange: (listener: (topic: string) => void) => subscribe(IPC_CHANGE, isString, listener),
  onNavigate: (listener: (screen: Screen) => void) => subscribe(IPC_NAVIGATE, isScreen, listener),
});

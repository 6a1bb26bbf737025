// The preload exposes exactly one typed API to the page: invoke a contract method, and listen for
// "data changed" notifications. No Node, no ipcRenderer, no other channel reaches the renderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANGE, IPC_INVOKE } from '../main/ipc-channels';

contextBridge.exposeInMainWorld('reverie', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(IPC_INVOKE, method, input),
  onChange: (listener: (topic: string) => void) => {
    const wrapped = (_e: IpcRendererEvent, topic: string) => listener(topic);
    ipcRenderer.on(IPC_CHANGE, wrapped);
    return () => ipcRenderer.off(IPC_CHANGE, wrapped);
  },
});

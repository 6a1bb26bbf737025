// Electron main: glue only. Opens the core (which owns the store), one secure window, and answers
// contract calls over one validated IPC channel. Everything else lives in electron/core.
import path from 'node:path';
import { app, BrowserWindow, ipcMain, shell } from 'electron';
import workerPath from '../worker/dream?modulePath';
import { openCore, type Core } from '../core/core';
import { IPC_CHANGE, IPC_INVOKE } from './ipc-channels';

let core: Core | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    show: false,
    title: 'Reverie',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(path.join(__dirname, '../renderer/index.html'));
  return win;
}

app.whenReady().then(async () => {
  core = await openCore({
    storeDir: process.env.REVERIE_HOME ?? path.join(app.getPath('userData'), 'store'),
    host: 'electron',
    worker: { file: workerPath },
    version: app.getVersion(),
    demoDir: path.join(process.resourcesPath ?? '', 'demo'),
  });
  ipcMain.handle(IPC_INVOKE, (event, method: unknown, input: unknown) => {
    // Only our own window's frames may call in; the method name is checked by the dispatch.
    if (!event.senderFrame || !BrowserWindow.fromWebContents(event.sender)) return { ok: false, error: { type: 'unauthorized', message: 'Unknown sender' } };
    return core!.dispatch(String(method), input);
  });
  core.events.on('change', (topic: string) => BrowserWindow.getAllWindows().forEach((w) => w.webContents.send(IPC_CHANGE, topic)));
  createWindow();
});

app.on('window-all-closed', async () => {
  await core?.close();
  app.quit();
});

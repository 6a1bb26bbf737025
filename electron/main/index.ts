// Electron main: glue only. It opens the core (which owns the store), one secure window, the
// application menu and the tray, and answers contract calls over one validated IPC channel.
// Every decision worth testing lives in a small module beside this one (window-options, ipc, csp,
// menu, tray, dreams, window-state, key-store, resources) that runs without Electron; this file
// only connects them to Electron's objects.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  nativeTheme,
  Notification,
  powerMonitor,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  type WebContents,
} from 'electron';
import workerPath from '../worker/dream?modulePath';
import { openCore, type Core } from '../core/core';
import { DESKTOP_CSP, devCsp, withCsp } from './csp';
import { createDreamWatcher, dreamNotification, dreamStatusLine, type DreamWatcher } from './dreams';
import { keyMethods, withHostMethods } from './host-methods';
import { createInvokeHandler, isOurPage, trustedSender } from './ipc';
import { IPC_CHANGE, IPC_INVOKE, IPC_NAVIGATE, type Screen } from './ipc-channels';
import { createKeyStore } from './key-store';
import { menuTemplate } from './menu';
import { isExternalUrl, permissionAllowed, resourcePaths } from './resources';
import { startAppScheduler, type RunningScheduler } from './scheduler';
import { trayIconFile, trayTemplate } from './tray';
import { windowOptions } from './window-options';
import { readSavedBounds, restoreBounds, trackWindowState } from './window-state';

const APP_ID = 'app.reverie.desktop';
const rendererIndex = path.join(__dirname, '../renderer/index.html');
const preloadPath = path.join(__dirname, '../preload/index.cjs');
// The dev server is trusted only in an unpackaged run: a packaged app never loads from the network.
const devServerUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
const ourPage = (url: string) => isOurPage(url, rendererIndex, devServerUrl);
const log = (message: string) => console.log(`[reverie] ${message}`);

let core: Core | null = null;
let win: BrowserWindow | null = null;
let tray: Tray | null = null;
let watcher: DreamWatcher | null = null;
let scheduler: RunningScheduler | null = null;
let quitting = false;

function showWindow(): BrowserWindow {
  if (!win || win.isDestroyed()) win = createWindow();
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  return win;
}

function navigate(screenName: Screen): void {
  const w = showWindow();
  // The page may still be loading (first open from the tray): deliver once it is.
  if (w.webContents.isLoading()) w.webContents.once('did-finish-load', () => w.webContents.send(IPC_NAVIGATE, screenName));
  else w.webContents.send(IPC_NAVIGATE, screenName);
}

function openExternal(url: string): void {
  if (isExternalUrl(url)) void shell.openExternal(url);
}

function createWindow(): BrowserWindow {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const bounds = restoreBounds(readSavedBounds(stateFile), screen.getAllDisplays().map((d) => d.workArea));
  const icons = resourcePaths({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }).icons;
  const w = new BrowserWindow(windowOptions({
    preloadPath,
    bounds,
    platform: process.platform,
    iconPath: path.join(icons, 'png', '512x512.png'),
    dark: nativeTheme.shouldUseDarkColors,
  }));
  if (bounds.maximized) w.maximize();
  if (bounds.fullScreen) w.setFullScreen(true);
  trackWindowState(w, stateFile);
  w.once('ready-to-show', () => w.show());
  w.on('closed', () => {
    if (win === w) win = null;
  });
  if (devServerUrl) void w.loadURL(devServerUrl);
  else void w.loadFile(rendererIndex);
  return w;
}

/** Navigation, new windows and webviews are refused for every web contents the app ever creates. */
function lockDownContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
  const refuse = (event: { preventDefault(): void }, url: string) => {
    if (ourPage(url)) return;
    event.preventDefault();
    // A plain link the user clicked: show it where links belong.
    openExternal(url);
  };
  contents.on('will-navigate', refuse);
  contents.on('will-redirect', refuse);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function hardenSession(): void {
  const ses = session.defaultSession;
  const csp = devServerUrl ? devCsp(devServerUrl) : DESKTOP_CSP;
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders, csp) }));
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl, ourPage)));
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin === 'file://' ? pathToFileURL(rendererIndex).href : requestingOrigin, ourPage));
}

function renderTray(status: string, running: boolean): void {
  if (!tray) return;
  tray.setToolTip(`Reverie — ${status}`);
  tray.setContextMenu(Menu.buildFromTemplate(trayTemplate(status, running, {
    open: () => showWindow(),
    dreamNow: () => void dreamNow(),
    quit: () => app.quit(),
  })));
}

function createTray(): void {
  const icons = resourcePaths({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }).icons;
  const image = nativeImage.createFromPath(path.join(icons, trayIconFile(process.platform)));
  if (process.platform === 'darwin') image.setTemplateImage(true);
  try {
    tray = new Tray(image);
  } catch (err) {
    // Some Linux desktops have no tray; the app still works from its window and menu.
    log(`No tray: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  // Windows and most Linux trays open the app on a plain click; macOS shows the menu.
  if (process.platform !== 'darwin') tray.on('click', () => showWindow());
  renderTray('No dream yet', false);
}

async function dreamNow(): Promise<void> {
  try {
    await watcher?.dreamNow();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`Dream failed: ${message}`);
    if (Notification.isSupported()) new Notification({ title: 'The dream failed', body: message }).show();
  }
}

function announce(dream: Parameters<typeof dreamNotification>[0]): void {
  const note = dreamNotification(dream);
  // The window in front already shows the new lessons; a notification would only interrupt.
  if (!note || (win && !win.isDestroyed() && win.isVisible() && win.isFocused())) return;
  if (!Notification.isSupported()) return;
  const n = new Notification({ title: note.title, body: note.body });
  n.on('click', () => navigate(dream.status === 'pending' ? 'dreams' : 'lessons'));
  n.show();
}

async function start(): Promise<void> {
  hardenSession();
  const resources = resourcePaths({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
  const keys = createKeyStore({ file: path.join(app.getPath('userData'), 'secrets.json'), safeStorage, platform: process.platform });
  try {
    core = await openCore({
      storeDir: process.env.REVERIE_HOME ?? path.join(app.getPath('userData'), 'store'),
      host: 'electron',
      worker: { file: workerPath, bundle: true },
      version: app.getVersion(),
      demoDir: resources.demo,
      apiKey: keys.provider,
    });
  } catch (err) {
    // Typically the writer lock: the CLI (or another copy of the app) has the store open.
    dialog.showErrorBox('Reverie cannot open its store', err instanceof Error ? err.message : String(err));
    quitting = true;
    app.exit(1);
    return;
  }
  const opened = core;
  const sendChange = (topic: string) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_CHANGE, topic);
  };
  // The key methods are answered here, from safeStorage; everything else goes to the core.
  const dispatch = withHostMethods(opened.dispatch, keyMethods(keys), sendChange);
  ipcMain.handle(IPC_INVOKE, createInvokeHandler(dispatch, trustedSender({ webContents: () => (win && !win.isDestroyed() ? win.webContents : null), rendererIndex, devServerUrl })));

  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({
    platform: process.platform,
    appName: app.name,
    actions: { navigate, dreamNow: () => void dreamNow(), openExternal },
  })));
  win = createWindow();
  createTray();

  watcher = createDreamWatcher({
    dispatch: opened.dispatch,
    onStatus: (latest, running) => renderTray(dreamStatusLine(latest, running), running),
    onFinished: announce,
  });
  await watcher.init();
  opened.events.on('change', (topic: string) => {
    sendChange(topic);
    if (topic === 'lessons' || topic === 'dreams') void watcher?.refresh();
  });

  scheduler = startAppScheduler(opened, { idle: { idleSeconds: () => powerMonitor.getSystemIdleTime() }, log });
}

async function shutdown(): Promise<void> {
  await scheduler?.stop();
  tray?.destroy();
  await core?.close();
  core = null;
}

// One app per user: a second launch hands over to the first (which comes to the front) and exits,
// so two processes never compete for the store.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  app.on('second-instance', () => showWindow());
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
  app.on('activate', () => showWindow());
  // Closing the window keeps Reverie in the tray so scheduled dreams still run; without a tray
  // (some Linux desktops) closing the last window quits.
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Let the store finish its last write and release the writer lock before the process ends.
    event.preventDefault();
    quitting = true;
    shutdown().finally(() => app.quit());
  });
  app.whenReady().then(start).catch((err: unknown) => {
    dialog.showErrorBox('Reverie failed to start', err instanceof Error ? (err.stack ?? err.message) : String(err));
    app.exit(1);
  });
}

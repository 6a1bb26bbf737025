// A stand-in for the `electron` module, so the BUILT main and preload bundles can run under plain
// Node. It implements exactly the API surface Reverie's main process uses and records every call
// the security and behaviour tests care about (window options, IPC handlers, session hooks, menus,
// tray, notifications, external links). Anything else the bundle reaches for throws, naming the
// export, so a new use of Electron in main shows up here instead of passing silently.
import { EventEmitter } from 'node:events';
import Module, { createRequire } from 'node:module';
import type { MenuItemConstructorOptions } from 'electron';

export interface FakeElectronOptions {
  /** What app.requestSingleInstanceLock() answers (false: another copy already runs). */
  singleInstanceLock: boolean;
  /** app.getPath('userData') and friends. */
  userData: string;
  /** app.getAppPath(): the unpackaged app's root (resources/ is read from here). */
  appPath: string;
  /** app.isPackaged: true for an app run from electron-builder's output. */
  isPackaged?: boolean;
  /** What safeStorage says about encryption. */
  encryption?: { available: boolean; backend: string };
}

export type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;
export type HeadersListener = (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void;

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  sent: { channel: string; args: unknown[] }[] = [];
  loading = false;
  destroyed = false;
  constructor(readonly id: number) {
    super();
  }
  setWindowOpenHandler(fn: (details: { url: string }) => { action: 'allow' | 'deny' }) {
    this.windowOpenHandler = fn;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  isLoading() {
    return this.loading;
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** Emits a navigation event the way Electron does and says whether the app prevented it. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true), url }, url);
    return prevented;
  }
}

export function createFakeElectron(opts: FakeElectronOptions) {
  const record = {
    windows: [] as FakeBrowserWindow[],
    ipcHandlers: new Map<string, IpcHandler>(),
    ipcListeners: new Map<string, unknown>(),
    applicationMenu: null as { template: MenuItemConstructorOptions[] } | null,
    trays: [] as FakeTray[],
    notifications: [] as { title: string; body: string; shown: boolean; click(): void }[],
    openedExternally: [] as string[],
    errorBoxes: [] as { title: string; content: string }[],
    headerListeners: [] as HeadersListener[],
    permissionRequestHandler: null as null | ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void),
    permissionCheckHandler: null as null | ((wc: unknown, permission: string, requestingOrigin: string) => boolean),
    images: [] as string[],
    exposed: new Map<string, unknown>(),
    rendererInvokes: [] as { channel: string; args: unknown[] }[],
    quitCalls: 0,
    exitCodes: [] as number[],
    lockRequested: 0,
  };
  let nextId = 1;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));

  const app = Object.assign(new EventEmitter(), {
    isPackaged: opts.isPackaged ?? false,
    name: 'Reverie',
    getPath: (_name: string) => opts.userData,
    getAppPath: () => opts.appPath,
    getVersion: () => '0.1.0-harness',
    requestSingleInstanceLock() {
      record.lockRequested++;
      return opts.singleInstanceLock;
    },
    setAppUserModelId: (_id: string) => {},
    whenReady: () => ready,
    quit() {
      record.quitCalls++;
      // Electron runs 'before-quit' listeners, which may preventDefault() to finish work first.
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) app.emit('will-quit');
    },
    exit(code = 0) {
      record.exitCodes.push(code);
    },
  });

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents: FakeWebContents;
    loaded: { kind: 'file' | 'url'; target: string } | null = null;
    visible = false;
    focused = false;
    minimized = false;
    destroyed = false;
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      super();
      this.webContents = new FakeWebContents(nextId++);
      record.windows.push(this);
      // Electron announces every new web contents on the app before anything loads in it.
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadFile(file: string) {
      this.loaded = { kind: 'file', target: file };
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.loaded = { kind: 'url', target: url };
      return Promise.resolve();
    }
    isDestroyed() { return this.destroyed; }
    isMinimized() { return this.minimized; }
    isVisible() { return this.visible; }
    isFocused() { return this.focused; }
    isMaximized() { return false; }
    isFullScreen() { return false; }
    restore() { this.minimized = false; }
    show() { this.visible = true; }
    focus() { this.focused = true; }
    blur() { this.focused = false; }
    maximize() {}
    setFullScreen(_on: boolean) {}
    getNormalBounds() {
      const o = this.options;
      return { x: o.x ?? 0, y: o.y ?? 0, width: o.width ?? 800, height: o.height ?? 600 };
    }
  }

  class FakeTray extends EventEmitter {
    tooltip = '';
    menu: { template: MenuItemConstructorOptions[] } | null = null;
    destroyed = false;
    constructor(readonly image: unknown) {
      super();
      record.trays.push(this);
    }
    setToolTip(t: string) { this.tooltip = t; }
    setContextMenu(m: { template: MenuItemConstructorOptions[] }) { this.menu = m; }
    destroy() { this.destroyed = true; }
  }

  class FakeNotification extends EventEmitter {
    static isSupported() { return true; }
    private readonly entry: { title: string; body: string; shown: boolean; click(): void };
    constructor(o: { title: string; body: string }) {
      super();
      this.entry = { title: o.title, body: o.body, shown: false, click: () => this.emit('click') };
      record.notifications.push(this.entry);
    }
    show() { this.entry.shown = true; }
  }

  const encryption = opts.encryption ?? { available: true, backend: 'gnome_libsecret' };
  // A reversible, visibly-not-plain "encryption": enough to prove the key store never writes clear text.
  const scramble = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));

  const surface: Record<string, unknown> = {
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: { showErrorBox: (title: string, content: string) => record.errorBoxes.push({ title, content }) },
    ipcMain: {
      handle: (channel: string, fn: IpcHandler) => {
        if (record.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        record.ipcHandlers.set(channel, fn);
      },
      on: (channel: string, fn: unknown) => record.ipcListeners.set(channel, fn),
    },
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
      setApplicationMenu: (m: { template: MenuItemConstructorOptions[] } | null) => (record.applicationMenu = m),
    },
    nativeImage: {
      createFromPath: (p: string) => {
        record.images.push(p);
        return { path: p, setTemplateImage: () => {}, isEmpty: () => false };
      },
    },
    nativeTheme: { shouldUseDarkColors: false },
    Notification: FakeNotification,
    powerMonitor: { getSystemIdleTime: () => 0 },
    safeStorage: {
      isEncryptionAvailable: () => encryption.available,
      getSelectedStorageBackend: () => encryption.backend,
      encryptString: (s: string) => scramble(Buffer.from(s, 'utf8')),
      decryptString: (b: Buffer) => scramble(b).toString('utf8'),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }] },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: HeadersListener) => record.headerListeners.push(fn) },
        setPermissionRequestHandler: (fn: typeof record.permissionRequestHandler) => (record.permissionRequestHandler = fn),
        setPermissionCheckHandler: (fn: typeof record.permissionCheckHandler) => (record.permissionCheckHandler = fn),
      },
    },
    shell: {
      openExternal: (url: string) => {
        record.openedExternally.push(url);
        return Promise.resolve();
      },
    },
    Tray: FakeTray,
    // The preload's side.
    contextBridge: { exposeInMainWorld: (name: string, api: unknown) => record.exposed.set(name, api) },
    ipcRenderer: Object.assign(new EventEmitter(), {
      invoke: (channel: string, ...args: unknown[]) => {
        record.rendererInvokes.push({ channel, args });
        return Promise.resolve({ ok: true, result: null });
      },
    }),
  };

  const module = new Proxy(surface, {
    get(target, prop) {
      if (prop === '__esModule') return false;
      if (prop === 'default') return target;
      if (typeof prop === 'string' && !(prop in target)) throw new Error(`The fake electron module has no "${prop}": the main bundle uses an Electron API the harness does not know.`);
      return target[prop as string];
    },
  });

  return { module, record, app, ready: () => resolveReady(), FakeBrowserWindow };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/**
 * Makes `require('electron')` return the current fake, for bundles loaded with `load`. Node's
 * CommonJS loader is the one hook point a built bundle cannot bypass.
 */
export function electronRequireHook() {
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const originalLoad = loader._load;
  const requireFromHere = createRequire(import.meta.url);
  let current: FakeElectron | null = null;
  loader._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
    if (request === 'electron') {
      if (!current) throw new Error('electron required with no fake installed');
      return current.module;
    }
    return originalLoad.call(this, request, parent, isMain);
  };
  return {
    /** Loads a bundle afresh (its module state is per run) under `fake`. */
    load(file: string, fake: FakeElectron): void {
      current = fake;
      delete requireFromHere.cache[file];
      requireFromHere(file);
    },
    use(fake: FakeElectron): void {
      current = fake;
    },
    restore(): void {
      loader._load = originalLoad;
    },
  };
}

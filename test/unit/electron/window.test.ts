// The window's security settings and its remembered place, read from the factories main uses.
import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DESKTOP_CSP, devCsp, withCsp } from '../../../electron/main/csp';
import { isExternalUrl, permissionAllowed, resourcePaths } from '../../../electron/main/resources';
import { windowOptions } from '../../../electron/main/window-options';
import { DEFAULT_BOUNDS, readSavedBounds, restoreBounds, trackWindowState, type Rect } from '../../../electron/main/window-state';
import { tempDir } from '../../helpers/env';
import { SECURE_WEB_PREFERENCES } from '../../helpers/electron-security';

const screen: Rect = { x: 0, y: 0, width: 1920, height: 1050 };

describe('window options', () => {
  it('follow Electron\'s security checklist on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const o = windowOptions({ preloadPath: '/app/out/preload/index.cjs', bounds: DEFAULT_BOUNDS, platform });
      expect(o.webPreferences).toMatchObject({ preload: '/app/out/preload/index.cjs', ...SECURE_WEB_PREFERENCES });
      expect(o.show).toBe(false);
      // A hidden title bar would leave the window undraggable: the page declares no drag region.
      expect(o.titleBarStyle ?? 'default').toBe('default');
      expect(o.frame ?? true).toBe(true);
    }
  });

  it('open where the window was, or centred when nothing was saved', () => {
    const placed = windowOptions({ preloadPath: 'p', platform: 'linux', bounds: { x: 100, y: 50, width: 900, height: 700, maximized: false, fullScreen: false } });
    expect(placed).toMatchObject({ x: 100, y: 50, width: 900, height: 700 });
    const fresh = windowOptions({ preloadPath: 'p', platform: 'linux', bounds: DEFAULT_BOUNDS });
    expect(fresh).toMatchObject({ center: true, width: 1200, height: 800 });
    expect(fresh.x).toBeUndefined();
  });
});

describe('content security policy', () => {
  it('allows only our own scripts and no network from the desktop page', () => {
    const directives = Object.fromEntries(DESKTOP_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['default-src']).toBe("'none'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['connect-src']).toBe("'none'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(DESKTOP_CSP).not.toMatch(/unsafe-eval|\*/);
  });

  it('replaces whatever CSP a response carried, whatever its header case', () => {
    const h = withCsp({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html' }, DESKTOP_CSP);
    expect(h['Content-Security-Policy']).toEqual([DESKTOP_CSP]);
    expect(h['content-security-policy']).toBeUndefined();
    expect(h['Content-Type']).toEqual(['text/html']);
    expect(withCsp(undefined, DESKTOP_CSP)['Content-Security-Policy']).toEqual([DESKTOP_CSP]);
  });

  it('lets only the dev server\'s own websocket through in development', () => {
    const dev = devCsp('http://localhost:5173/');
    expect(dev).toContain("connect-src 'self' ws://localhost:5173");
    expect(dev).not.toContain('ws://*');
  });
});

describe('links and permissions', () => {
  it('opens only web and mail links in the OS browser', () => {
    expect(isExternalUrl('https://docs.anthropic.com/')).toBe(true);
    expect(isExternalUrl('mailto:me@example.com')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:foo', 'not a url', '']) expect(isExternalUrl(url), url).toBe(false);
  });

  it('grants the page nothing but clipboard writes, and only to our page', () => {
    const ours = (u: string) => u === 'file:///app/out/renderer/index.html';
    expect(permissionAllowed('clipboard-sanitized-write', 'file:///app/out/renderer/index.html', ours)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', ours)).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'serial', 'fullscreen']) expect(permissionAllowed(p, 'file:///app/out/renderer/index.html', ours), p).toBe(false);
  });

  it('reads bundled files beside the asar when packaged, from the repository otherwise', () => {
    expect(resourcePaths({ isPackaged: true, resourcesPath: '/opt/Reverie/resources', appPath: '/opt/Reverie/resources/app.asar' }).demo).toBe('/opt/Reverie/resources/demo');
    expect(resourcePaths({ isPackaged: false, resourcesPath: '/usr/lib/electron/resources', appPath: '/src/reverie' })).toMatchObject({ demo: '/src/reverie/resources/demo', seeds: '/src/reverie/resources/seeds', icons: '/src/reverie/resources/icons' });
  });
});

describe('window size and place', () => {
  it('restores a saved place that is on a display', () => {
    expect(restoreBounds({ x: 200, y: 100, width: 1000, height: 700, maximized: true }, [screen])).toEqual({ x: 200, y: 100, width: 1000, height: 700, maximized: true, fullScreen: false });
  });

  it('keeps the size but not the place when the display it was on is gone', () => {
    const b = restoreBounds({ x: 2500, y: 100, width: 1000, height: 700 }, [screen]);
    expect(b.x).toBeUndefined();
    expect(b).toMatchObject({ width: 1000, height: 700 });
  });

  it('finds the window on a second display, and shrinks it to fit', () => {
    const second: Rect = { x: 1920, y: 0, width: 1280, height: 1000 };
    expect(restoreBounds({ x: 2000, y: 20, width: 1600, height: 1200 }, [screen, second])).toMatchObject({ x: 2000, y: 20, width: 1280, height: 1000 });
  });

  it('does not restore a title bar above the top of the screen', () => {
    expect(restoreBounds({ x: 100, y: -20, width: 800, height: 600 }, [screen])).toMatchObject({ y: 0 });
    expect(restoreBounds({ x: 100, y: -500, width: 800, height: 600 }, [screen]).x).toBeUndefined();
  });

  it('falls back to the default on a missing, corrupt or absurd file', () => {
    for (const saved of [null, 'garbage', { x: 1 }, { x: 0, y: 0, width: 10, height: 10 }, { x: 0, y: 0, width: Number.NaN, height: 500 }]) {
      expect(restoreBounds(saved, [screen])).toEqual(DEFAULT_BOUNDS);
    }
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'w.json'), '{"x": 1, "y"');
    expect(readSavedBounds(path.join(dir, 'w.json'))).toBeNull();
    expect(readSavedBounds(path.join(dir, 'missing.json'))).toBeNull();
  });

  it('saves the normal bounds after moving stops and on close, atomically', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sub', 'window-state.json');
    const win = Object.assign(new EventEmitter(), {
      bounds: { x: 10, y: 20, width: 900, height: 650 },
      getNormalBounds() { return this.bounds; },
      isMaximized: () => false,
      isFullScreen: () => false,
    });
    trackWindowState(win, file, 20);
    win.emit('move');
    win.bounds = { x: 30, y: 40, width: 900, height: 650 };
    win.emit('resize');
    expect(fs.existsSync(file)).toBe(false);
    await new Promise((r) => setTimeout(r, 60));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ x: 30, y: 40, width: 900, height: 650, maximized: false, fullScreen: false });
    win.bounds = { x: 50, y: 60, width: 800, height: 600 };
    win.emit('close');
    expect(restoreBounds(readSavedBounds(file), [screen])).toMatchObject({ x: 50, y: 60, width: 800, height: 600 });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['window-state.json']);
  });
});

// Remembers the window's size and place between runs, in a small JSON file in userData (not in the
// store: it is per machine, and the store may be shared or overridden with REVERIE_HOME).
// Restoring is defensive: a saved place on a monitor that is no longer attached, or a file that is
// corrupt, falls back to a centred default instead of opening the window off-screen.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Rect { x: number; y: number; width: number; height: number }
/** x/y absent = let the OS centre the window. */
export interface Bounds { x?: number; y?: number; width: number; height: number; maximized: boolean; fullScreen: boolean }

export const DEFAULT_BOUNDS: Bounds = { width: 1200, height: 800, maximized: false, fullScreen: false };

const Saved = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(100_000),
  height: z.number().int().min(200).max(100_000),
  maximized: z.boolean().default(false),
  fullScreen: z.boolean().default(false),
});

/** How much of the title bar must be on a display for the saved place to count as visible. */
const MIN_VISIBLE = 64;

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  return {
    w: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    h: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The bounds to open with, given what was saved and the work areas of the displays attached now.
 * The saved size is kept but shrunk to fit the display it lands on; the place is kept only if a
 * usable strip of the window's top edge is on some display.
 */
export function restoreBounds(saved: unknown, workAreas: Rect[]): Bounds {
  const parsed = Saved.safeParse(saved);
  if (!parsed.success) return { ...DEFAULT_BOUNDS };
  const s = parsed.data;
  const titleBar: Rect = { x: s.x, y: s.y, width: s.width, height: 32 };
  const home = workAreas.find((wa) => {
    const o = overlap(titleBar, wa);
    return o.w >= Math.min(MIN_VISIBLE, s.width) && o.h > 0;
  });
  if (!home) {
    const primary = workAreas[0];
    return {
      width: primary ? Math.min(s.width, primary.width) : s.width,
      height: primary ? Math.min(s.height, primary.height) : s.height,
      maximized: s.maximized,
      fullScreen: false,
    };
  }
  return {
    x: s.x,
    y: Math.max(s.y, home.y),
    width: Math.min(s.width, home.width),
    height: Math.min(s.height, home.height),
    maximized: s.maximized,
    fullScreen: s.fullScreen,
  };
}

export function readSavedBounds(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Atomic: a crash mid-write leaves the old file, never half a JSON document. */
export function writeSavedBounds(file: string, state: Rect & { maximized: boolean; fullScreen: boolean }): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(tmp, `${JSON.stringify(state)}\n`);
  fs.renameSync(tmp, file);
}

/** The part of a BrowserWindow this module needs (so tests can hand in a plain object). */
export interface TrackedWindow {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isFullScreen(): boolean;
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
}

/**
 * Saves the window's normal (un-maximized) bounds shortly after it stops moving or resizing, and
 * once more when it closes. Returns a function that writes immediately (used at quit).
 */
export function trackWindowState(win: TrackedWindow, file: string, delayMs = 500): () => void {
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    try {
      writeSavedBounds(file, { ...win.getNormalBounds(), maximized: win.isMaximized(), fullScreen: win.isFullScreen() });
    } catch {
      // Losing the window's place is not worth an error dialog.
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', save);
  return save;
}

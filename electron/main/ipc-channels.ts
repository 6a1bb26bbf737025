/**
 * The only IPC channels. Two carry the contract: request/response for contract methods, and
 * "data changed" notifications. The third is one-way, main → page: the application menu asks the
 * page to show a screen (the shortcuts live in the native menu so they work like any app's, but
 * the page owns its routing). It carries one name from SCREENS and nothing else.
 */
export const IPC_INVOKE = 'reverie:invoke';
export const IPC_CHANGE = 'reverie:change';
export const IPC_NAVIGATE = 'reverie:navigate';

/** The UI's screens (GUIDE §6), in menu order: Cmd/Ctrl+1 … 6. */
export const SCREENS = ['lessons', 'dreams', 'timeline', 'progress', 'import', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];
export const isScreen = (s: unknown): s is Screen => typeof s === 'string' && (SCREENS as readonly string[]).includes(s);

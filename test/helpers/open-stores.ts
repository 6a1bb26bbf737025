// Stores a test opens, closed after each test (the writer lock is released even when a test fails).
import { afterEach } from 'vitest';
import { Store } from '../../electron/core/store/store';
import { tempDir } from './env';

/** Registers the closing for this test file; returns the opener (a new temp folder unless given one). */
export function storesClosedAfterEach(): { openStore(dir?: string): Promise<Store>; closeNow(store: Store): Promise<void> } {
  const open: Store[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  return {
    async openStore(dir = tempDir()) {
      const s = await Store.open(dir);
      open.push(s);
      return s;
    },
    /** Closes one of them before the test ends (to reopen its folder, as the next process would). */
    async closeNow(store) {
      open.splice(open.indexOf(store), 1);
      await store.close();
    },
  };
}

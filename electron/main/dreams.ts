// What the shell says about dreams: the tray's status line and the "new lessons" notification.
// It watches the store's dreams however they were started (tray, menu, scheduler, the page), by
// listening to the core's change events and reading dreams.list through the dispatch, so it needs
// no hook inside the core.
import type { Dream } from '../../shared/model';
import type { Dispatch } from '../core/rpc';

export function newLessons(dream: Dream): { added: number; pending: boolean } {
  const adds = dream.changes.filter((c) => c.op === 'add' && c.decision !== 'rejected');
  return { added: adds.length, pending: dream.status === 'pending' };
}

/** A notification worth showing for a finished dream, or null (nothing new, undone, failed…). */
export function dreamNotification(dream: Dream): { title: string; body: string } | null {
  const { added, pending } = newLessons(dream);
  if (added === 0 || (dream.status !== 'applied' && dream.status !== 'pending')) return null;
  const lessons = `${added} new lesson${added === 1 ? '' : 's'}`;
  return pending
    ? { title: `Reverie dreamt up ${lessons}`, body: 'They are waiting for your review in Dreams.' }
    : { title: `Reverie learnt ${lessons}`, body: firstTitles(dream) };
}

function firstTitles(dream: Dream): string {
  const titles = dream.changes.filter((c) => c.op === 'add' && c.after).map((c) => c.after!.title);
  const shown = titles.slice(0, 2).join(' · ');
  return titles.length > 2 ? `${shown} · and ${titles.length - 2} more` : shown;
}

/** One line for the tray menu: "Last dream: 3 new lessons, 2 h ago". */
export function dreamStatusLine(dream: Dream | null, running: boolean, now = Date.now()): string {
  if (running) return 'Dreaming…';
  if (!dream) return 'No dream yet';
  const when = ago(now - Date.parse(dream.finishedAt));
  const what = (() => {
    switch (dream.status) {
      case 'failed': return 'failed';
      case 'cancelled': return 'cancelled';
      case 'undone': return 'undone';
      case 'empty': return 'nothing new';
      default: {
        const { added, pending } = newLessons(dream);
        const n = dream.changes.length;
        if (pending) return `${n} change${n === 1 ? '' : 's'} to review`;
        return added ? `${added} new lesson${added === 1 ? '' : 's'}` : `${n} change${n === 1 ? '' : 's'}`;
      }
    }
  })();
  return `Last dream: ${what}, ${when}`;
}

function ago(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 1) return 'just now';
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

export interface DreamWatcherOptions {
  dispatch: Dispatch;
  /** Called whenever the newest dream or the running flag changes (the tray re-renders). */
  onStatus(latest: Dream | null, running: boolean): void;
  /** Called once per newly finished dream (never for dreams that existed at start). */
  onFinished(dream: Dream): void;
}

export interface DreamWatcher {
  /** Reads the newest dream once, without announcing it (the state at app start). */
  init(): Promise<void>;
  /** Re-reads after a change event; announces a dream not seen before. */
  refresh(): Promise<void>;
  /** "Dream now": runs one dream through the dispatch, one at a time. */
  dreamNow(): Promise<Dream | null>;
  latest(): Dream | null;
}

export function createDreamWatcher(opts: DreamWatcherOptions): DreamWatcher {
  let latest: Dream | null = null;
  const seen = new Set<string>();
  let running = false;

  /** dreams.list is newest first. */
  async function read(): Promise<Dream[] | null> {
    const env = await opts.dispatch('dreams.list', {});
    return env.ok ? (env.result as Dream[]) : null;
  }

  return {
    async init() {
      const list = await read();
      for (const d of list ?? []) seen.add(d.id);
      latest = list?.[0] ?? null;
      opts.onStatus(latest, running);
    },
    async refresh() {
      const list = await read();
      if (!list) return;
      const newest = list[0] ?? null;
      latest = newest;
      if (newest && !seen.has(newest.id)) {
        seen.add(newest.id);
        opts.onFinished(newest);
      }
      opts.onStatus(latest, running);
    },
    async dreamNow() {
      if (running) return null;
      running = true;
      opts.onStatus(latest, running);
      try {
        const env = await opts.dispatch('dreams.run', {});
        if (!env.ok) throw new Error(env.error.message);
        return env.result as Dream;
      } finally {
        running = false;
        await this.refresh();
      }
    },
    latest: () => latest,
  };
}

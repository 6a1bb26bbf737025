// Session documents are immutable once imported (a grown file adds a new session part), so a small
// LRU cache lets the evidence drawer and the reader reopen them without another request.
import type { Output } from '../../../shared/contract';
import { api } from '../api';

export type SessionDoc = Output<'sessions.get'>;
const cache = new Map<string, Promise<SessionDoc>>();

export function loadSession(id: string): Promise<SessionDoc> {
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const p = api.call('sessions.get', { id });
  p.catch(() => cache.delete(id));
  cache.set(id, p);
  if (cache.size > 40) cache.delete(cache.keys().next().value!);
  return p;
}

import { ContractError } from '../../../shared/contract/define';
import type { CoreContext, DomainHandlers } from '../context';

export function sessionHandlers(ctx: CoreContext): DomainHandlers<'sessions.list' | 'sessions.get' | 'sessions.context'> {
  return {
    async 'sessions.list'({ agentId, offset, limit }) {
      const all = ctx.store.sessions.filter((s) => !agentId || s.agentId === agentId);
      const sorted = [...all].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
      return { total: all.length, sessions: sorted.slice(offset, offset + limit) };
    },
    async 'sessions.get'({ id }) {
      const doc = ctx.store.readSessionDoc(id);
      if (!doc) throw new ContractError('not-found', `No session with id ${id}`);
      return doc;
    },
    async 'sessions.context'({ sessionId, eventId, radius }) {
      const doc = ctx.store.readSessionDoc(sessionId);
      if (!doc) throw new ContractError('not-found', `No session with id ${sessionId}`);
      const at = doc.events.findIndex((e) => e.id === eventId);
      if (at < 0) throw new ContractError('not-found', `Session ${sessionId} has no event ${eventId} (re-imported since the lesson was learned?)`);
      const from = Math.max(0, at - radius);
      const events = doc.events.slice(from, at + radius + 1);
      const ids = new Set(events.map((e) => e.id));
      return { session: doc.session, events, focus: at - from, signals: doc.signals.filter((s) => s.eventIds.some((id) => ids.has(id))) };
    },
  };
}

import { ContractError } from '../../../shared/contract/define';
import type { CoreContext, DomainHandlers } from '../context';

export function sessionHandlers(ctx: CoreContext): DomainHandlers<'sessions.list' | 'sessions.get'> {
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
  };
}

import { z } from 'zod';
import { Session, SessionEvent, Signal } from '../model';
import { query } from './define';

export const sessions = {
  'sessions.list': query(
    z.object({ agentId: z.string().optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(20000).default(500) }).default({ offset: 0, limit: 500 }),
    z.object({ total: z.number(), sessions: z.array(Session) }),
  ),
  'sessions.get': query(z.object({ id: z.string() }), z.object({ session: Session, events: z.array(SessionEvent), signals: z.array(Signal) })),
};

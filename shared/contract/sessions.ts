import { z } from 'zod';
import { Session, SessionEvent, Signal } from '../model';
import { query } from './define';

export const sessions = {
  'sessions.list': query(
    z.object({ agentId: z.string().optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(20000).default(500) }).default({ offset: 0, limit: 500 }),
    z.object({ total: z.number(), sessions: z.array(Session) }),
  ),
  'sessions.get': query(z.object({ id: z.string() }), z.object({ session: Session, events: z.array(SessionEvent), signals: z.array(Signal) })),
  /** An evidence event in its conversation: `radius` events either side; `focus` indexes `events`. */
  'sessions.context': query(
    z.object({ sessionId: z.string().min(1), eventId: z.string().min(1), radius: z.number().int().min(0).max(200).default(6) }),
    z.object({ session: Session, events: z.array(SessionEvent), focus: z.number().int().nonnegative(), signals: z.array(Signal) }),
  ),
};

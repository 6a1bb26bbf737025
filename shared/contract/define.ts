// Building blocks of the one contract: a method is a pair of zod schemas (arguments, result).
// Transports (Electron IPC, the HTTP bridge, tests) only ever move `Envelope`s, so errors cross
// every boundary as data, never as a thrown exception the other side cannot see.
import { z } from 'zod';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** True when the method changes stored data (the single-writer lock and change notifications apply). */
  mutates: boolean;
}

export const query = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> => ({ input, output, mutates: false });
export const mutation = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> => ({ input, output, mutates: true });

export const NoInput = z.object({}).strict().default({});

export const ErrorType = z.enum(['invalid-input', 'unknown-method', 'not-found', 'conflict', 'locked', 'failed', 'unauthorized']);
export type ErrorType = z.infer<typeof ErrorType>;

export const RemoteError = z.object({ type: ErrorType, message: z.string() });
export type RemoteError = z.infer<typeof RemoteError>;

export const Envelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: RemoteError }),
]);
export type Envelope = z.infer<typeof Envelope>;

/** An error meant for the other side of a boundary: its type and message arrive intact. */
export class ContractError extends Error {
  constructor(public readonly type: ErrorType, message: string) {
    super(message);
    this.name = 'ContractError';
  }
}

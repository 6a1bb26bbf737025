// The typed client every caller uses (renderer, tests). A transport moves one request and returns
// an Envelope; the client turns error envelopes back into ContractErrors with their type intact.
import { ContractError, Envelope } from './define';
import type { Input, Method, Output } from './index';

export type Transport = (method: string, input: unknown) => Promise<unknown>;

export interface Client {
  call<M extends Method>(method: M, ...input: {} extends Input<M> ? [Input<M>?] : [Input<M>]): Promise<Output<M>>;
}

export function createClient(transport: Transport): Client {
  return {
    async call(method, ...args) {
      const raw = await transport(method, args[0] ?? {});
      const env = Envelope.safeParse(raw);
      if (!env.success) throw new ContractError('failed', `Malformed reply to ${method}`);
      if (!env.data.ok) throw new ContractError(env.data.error.type, env.data.error.message);
      return env.data.result as never;
    },
  };
}

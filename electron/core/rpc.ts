// Dispatch: the one place where a method name and an untrusted payload become a handler call.
// Every transport (IPC, HTTP bridge, tests) goes through here, so validation and error shaping
// happen once: arguments and results are checked against the shared contract, and any failure
// comes back as an Envelope `{ ok: false, error: { type, message } }`.
import { z } from 'zod';
import { ContractError, contract, isMethod, type Envelope, type Handlers } from '../../shared/contract';

export type Dispatch = (method: string, input: unknown) => Promise<Envelope>;

export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

export function createDispatch(handlers: Handlers): Dispatch {
  return async (method, input) => {
    if (!isMethod(method)) return { ok: false, error: { type: 'unknown-method', message: `Unknown method "${method}"` } };
    const spec = contract[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: { type: 'invalid-input', message: `${method}: ${describeZodError(parsed.error)}` } };
    try {
      const handler = handlers[method] as (i: unknown) => Promise<unknown>;
      const result = await handler(parsed.data);
      // Results are checked too: a handler that drifts from the contract fails loudly here, not in the UI.
      const out = spec.output.safeParse(result);
      if (!out.success) return { ok: false, error: { type: 'failed', message: `${method} returned an invalid result: ${describeZodError(out.error)}` } };
      return { ok: true, result: out.data };
    } catch (err) {
      if (err instanceof ContractError) return { ok: false, error: { type: err.type, message: err.message } };
      return { ok: false, error: { type: 'failed', message: err instanceof Error ? err.message : String(err) } };
    }
  };
}

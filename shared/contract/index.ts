// The one contract: every method any process may call on the core, grouped by domain.
// shared/ never imports core; core implements `Handlers`, transports move `Envelope`s.
import type { z } from 'zod';
import { app } from './app';
import { claude } from './claude';
import { dreams } from './dreams';
import { follow } from './follow';
import { imports } from './imports';
import { lessons } from './lessons';
import { scheduler } from './scheduler';
import { sessions } from './sessions';
import { uploads } from './uploads';
import { settings } from './settings';
import { seeds } from './seeds';
import { writeback } from './writeback';
import { progress } from './progress';

export const contract = { ...app, ...imports, ...sessions, ...lessons, ...dreams, ...claude, ...seeds, ...settings, ...scheduler, ...writeback, ...uploads, ...progress, ...follow };

export type Contract = typeof contract;
export type Method = keyof Contract;
export type Input<M extends Method> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>;
export type Output<M extends Method> = z.output<Contract[M]['output']>;
export type Handlers = { [M in Method]: (input: ParsedInput<M>) => Promise<Output<M>> };

export const isMethod = (name: string): name is Method => Object.prototype.hasOwnProperty.call(contract, name);

export * from './define';
export * from './app';
export * from './claude';
export * from './settings';
export * from './scheduler';
export * from './seeds';
export * from './writeback';
export * from './progress';
export * from './follow';

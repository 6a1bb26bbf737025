import type { Handlers } from '../../../shared/contract';
import type { CoreContext } from '../context';
import { appHandlers } from './app';
import { claudeHandlers } from './claude';
import { dreamHandlers } from './dreams';
import { followHandlers } from './follow';
import { importHandlers } from './imports';
import { lessonHandlers } from './lessons';
import { schedulerHandlers } from './scheduler';
import { sessionHandlers } from './sessions';
import { uploadHandlers } from './uploads';
import { settingsHandlers } from './settings';
import { seedHandlers } from './seeds';
import { withAutoWriteback, writebackHandlers } from './writeback';
import { progressHandlers } from './progress';

/** Joins every domain's handler map; `satisfies Handlers` makes a missing method a type error. */
export function createHandlers(ctx: CoreContext): Handlers {
  const handlers = {
    ...appHandlers(ctx),
    ...importHandlers(ctx),
    ...sessionHandlers(ctx),
    ...lessonHandlers(ctx),
    ...dreamHandlers(ctx),
    ...claudeHandlers(ctx),
    ...uploadHandlers(ctx),
    ...settingsHandlers(ctx),
    ...schedulerHandlers(ctx),
    ...seedHandlers(ctx),
    ...writebackHandlers(ctx),
    ...progressHandlers(ctx),
    ...followHandlers(ctx),
  } satisfies Handlers;
  // Cross-cutting behaviour composed around plain handlers (GUIDE §9): write-back after a dream.
  return withAutoWriteback(ctx, handlers);
}

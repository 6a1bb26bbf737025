import { ContractError } from '../../../shared/contract/define';
import type { SettingsPatch } from '../../../shared/contract/settings';
import { Settings } from '../../../shared/model';
import type { CoreContext, DomainHandlers } from '../context';
import { describeZodError } from '../rpc';
import { nextCronTime } from '../scheduler/scheduler';

/** Deep-merges one level of groups (schedule, writeback, costCapUsd), the depth Settings has. */
export function mergeSettings(current: Settings, patch: SettingsPatch): unknown {
  const out: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    const cur = (current as Record<string, unknown>)[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' ? { ...cur, ...v } : v;
  }
  return out;
}

export function settingsHandlers(ctx: CoreContext): DomainHandlers<'settings.get' | 'settings.set'> {
  return {
    async 'settings.get'() {
      return ctx.store.data.settings;
    },
    async 'settings.set'({ patch }) {
      const settings = await ctx.exclusive(async () => {
        const r = Settings.safeParse(mergeSettings(ctx.store.data.settings, patch));
        if (!r.success) throw new ContractError('invalid-input', `settings.set: ${describeZodError(r.error)}`);
        const cron = r.data.schedule.cron;
        if (cron !== null) {
          if (!cron.trim()) throw new ContractError('invalid-input', 'settings.set: schedule.cron is empty; use null to turn the schedule off.');
          nextCronTime(cron, new Date()); // throws a clear invalid-input error for a bad pattern
        }
        ctx.store.data.settings = r.data;
        await ctx.store.writeMain();
        return r.data;
      });
      ctx.notify('settings');
      return settings;
    },
  };
}

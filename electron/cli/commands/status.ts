import type { Command } from 'commander';
import type { StoreStatus } from '../../../shared/contract/follow';
import { print, withCore, type GlobalOpts } from '../context';

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : 'never');

export function renderStatus(s: StoreStatus): string {
  const lines = [
    `Store: ${s.storeDir}`,
    `Sessions: ${s.sessions.count} (${s.sessions.events} events; ${s.sessions.undreamt} not dreamt over yet; newest ${when(s.sessions.newest)})`,
    `Agents: ${s.agents.length}${s.agents.length ? '' : ' (import some sessions: `reverie import --discover`)'}`,
    ...s.agents.map((a) => `  ${a.name.padEnd(40)} ${String(a.sessions).padStart(5)} session(s)`),
    `Lessons: ${s.lessons.active} active, ${s.lessons.candidate} candidate, ${s.lessons.retired} retired, ${s.lessons.pinned} pinned`,
    `Followed sources: ${s.followed.length}${s.followed.length ? (s.watching ? ' (watched by this process)' : ' (imported by the app, `serve` or `reverie follow` while one runs)') : ' (`reverie follow <folder>` to follow one)'}`,
    ...s.followed.map((f) => `  ${f.enabled ? 'on ' : 'off'} ${f.path}  last import ${when(f.lastImportAt)}${f.lastError ? `  — last problem: ${f.lastError}` : ''}`),
    `Last dream: ${s.lastDream ? `${when(s.lastDream.finishedAt)} (${s.lastDream.status}, ${s.lastDream.changes} change(s))` : 'none yet'}`,
  ];
  const next = [
    s.nextDream.scheduledAt && `scheduled ${when(s.nextDream.scheduledAt)}`,
    s.nextDream.sessionsToGo !== null && `after ${s.nextDream.sessionsToGo} more new session(s)`,
    s.nextDream.whenIdle && 'when the machine is idle',
  ].filter(Boolean);
  lines.push(`Next dream: ${next.length ? next.join(', or ') : 'only when started by hand (no schedule set)'}`);
  return lines.join('\n');
}

export function registerStatus(program: Command, common: (c: Command) => Command): void {
  common(program.command('status').description('the store at a glance: sessions, agents, lessons, followed sources, last and next dream'))
    .action(async (opts: GlobalOpts) => {
      const status = await withCore(opts, 'read', (api) => api.call('app.status', {}));
      print(opts, status, () => renderStatus(status));
    });
}

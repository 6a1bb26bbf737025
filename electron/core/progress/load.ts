// Loading what progress needs from the store and the agents' files: dated sessions, their signals,
// the write-back record, and the instruction files the user wrote rules in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProgressReport } from '../../../shared/contract/progress';
import type { Agent, Signal } from '../../../shared/model';
import type { Store } from '../store/store';
import { readState } from '../writeback/state';
import { targetFor } from '../writeback/targets';
import { computeProgress, type DatedSession } from './compute';
import { findContradictions, handRules, trackRules, type RuleFile } from './rules';

/** Sessions with a date (undated ones cannot be placed before or after anything) and their signals. */
export function loadSessions(store: Store, agentIds: Set<string> | null): { sessions: DatedSession[]; signals: Map<string, Signal[]> } {
  const sessions: DatedSession[] = [];
  const signals = new Map<string, Signal[]>();
  for (const s of store.sessions) {
    if (agentIds && !agentIds.has(s.agentId)) continue;
    const at = s.startedAt ?? s.endedAt;
    if (!at) continue;
    const doc = store.readSessionDoc(s.id);
    if (!doc) continue;
    sessions.push({ id: s.id, agentId: s.agentId, at });
    signals.set(s.id, doc.signals);
  }
  return { sessions, signals };
}

/** The instruction files that exist for these agents (and Cursor's other rule files), one entry per real file. */
export function ruleFiles(agents: Agent[], claudeTarget: 'project' | 'user', home: string): RuleFile[] {
  const byReal = new Map<string, RuleFile>();
  const add = (file: string, agent: Agent) => {
    let real: string;
    let text: string;
    try {
      real = fs.realpathSync(file);
      text = fs.readFileSync(real, 'utf8');
    } catch {
      return;
    }
    const hit = byReal.get(real);
    if (hit) hit.agentIds.push(agent.id);
    else byReal.set(real, { file, text, agentIds: [agent.id], tool: agent.tool });
  };
  for (const agent of agents) {
    const t = targetFor(agent, { claudeTarget, home });
    if ('skip' in t) continue;
    add(t.file, agent);
    if (agent.tool === 'cursor') {
      const dir = path.dirname(t.file);
      for (const n of fs.existsSync(dir) ? fs.readdirSync(dir) : []) if (n.endsWith('.mdc') && n !== 'reverie.mdc') add(path.join(dir, n), agent);
    }
  }
  return [...byReal.values()];
}

export function progressReport(store: Store, opts: { agents?: string[]; home?: string; now?: string }): ProgressReport {
  const all = store.data.agents;
  const agents = opts.agents ? all.filter((a) => opts.agents!.includes(a.id)) : all;
  const { sessions, signals } = loadSessions(store, opts.agents ? new Set(opts.agents) : null);
  const state = readState(store.dir);
  const writtenAgents = new Set(Object.values(state.files).flatMap((f) => f.agentIds));
  const lessons = opts.agents ? store.data.lessons.filter((l) => l.agents.includes('all') || l.agents.some((a) => opts.agents!.includes(a))) : store.data.lessons;
  const computed = computeProgress({ sessions, signals, lessons, agents, writtenBackAt: (id) => state.lessons[id]?.firstWrittenAt ?? null, writtenBackTo: (id, agentId) => state.lessons[id]?.byAgent[agentId] ?? null, writtenAgents });
  const rules = handRules(ruleFiles(agents, store.data.settings.writeback.claudeTarget, opts.home ?? os.homedir()));
  return {
    generatedAt: opts.now ?? new Date().toISOString(),
    ...computed,
    rules: trackRules(rules, sessions, signals),
    contradictions: findContradictions(lessons, rules),
  };
}

// Settings: schedule, engine and model, the API key (kept by the desktop app's OS keychain, never
// in the JSON store), thresholds, and write-back targets with a preview before anything is written.
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import type { ClaudeStatus } from '../../../shared/contract';
import { Settings as SettingsSchema, type Settings as SettingsT } from '../../../shared/model';
import { api, callLoose, has } from '../api';
import { errorMessage, useApp } from '../store';
import { Icon } from '../ui/Icon';
import { PageHead, Switch, Unavailable } from '../ui/parts';
import { fmtDateTime, plural, usd } from '../ui/format';
import { PreviewButton } from '../ui/ClaudePreview';
import { FollowedSources } from './Followed';

type Patch = { [K in keyof SettingsT]?: SettingsT[K] extends object ? Partial<SettingsT[K]> : SettingsT[K] };
interface KeyState { keyPresent: boolean; source: 'app' | 'environment' | null; canStore: boolean; reason?: string }
interface SchedulerStatus { active: boolean; running: { phase: string; done: number; total: number } | null; lastRunAt: string | null; nextDueAt: string | null; newSessions: number }
interface Target { agentIds: string[]; tool: string; file: string | null; status: string; reason?: string; diff: string; lessonIds: string[]; omitted: string[]; chars: number; budget: number; written: boolean }

const CRON_PRESETS: { label: string; cron: string | null }[] = [
  { label: 'Every night at 03:00', cron: '0 3 * * *' },
  { label: 'Every 6 hours', cron: '0 */6 * * *' },
  { label: 'Mondays at 09:00', cron: '0 9 * * 1' },
  { label: 'Never (manual and triggers only)', cron: null },
];

export function Settings() {
  const toast = useApp((s) => s.toast);
  const info = useApp((s) => s.info);
  const [saved, setSaved] = useState<SettingsT | null>(null);
  const [draft, setDraft] = useState<SettingsT | null>(null);
  const [claude, setClaude] = useState<ClaudeStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const canSettings = has('settings.get');

  useEffect(() => {
    if (canSettings) callLoose('settings.get').then((s) => { setSaved(s as SettingsT); setDraft(s as SettingsT); }, (err) => setError(errorMessage(err)));
    api.call('claude.status').then(setClaude, () => setClaude(null));
  }, [canSettings]);

  const set = (patch: Patch) => setDraft((d) => (d ? mergeDeep(d, patch) : d));
  const dirty = !!draft && !!saved && JSON.stringify(draft) !== JSON.stringify(saved);
  const save = async () => {
    if (!draft || !saved) return;
    setSaving(true);
    setError(null);
    try {
      const next = (await callLoose('settings.set', { patch: diffPatch(saved, draft) })) as SettingsT;
      setSaved(next);
      setDraft(next);
      toast({ message: 'Settings saved.', tone: 'success' });
      api.call('claude.status').then(setClaude, () => undefined);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHead title="Settings" sub={info ? <span className="mono" style={{ fontSize: 11.5 }} title="Store folder">{info.storeDir}</span> : null} />
      <div className="page-body">
        <div className="page-inner settings-grid" style={{ maxWidth: 820 }}>
          {!canSettings && <Unavailable what="Changing settings">The values below are the defaults.</Unavailable>}
          {error && <p className="alert" role="alert">{error}</p>}
          {canSettings && !draft ? <div className="skeleton" style={{ height: 300 }} /> : (
            <SettingsForm s={draft} set={set} claude={claude} disabled={!canSettings} />
          )}
          <FollowedSources />
          <KeySection />
          <WritebackSection />
          {canSettings && (
            <div className="savebar">
              <span className="muted">{dirty ? 'Unsaved changes' : 'All changes saved'}</span>
              <button type="button" className="btn ghost" disabled={!dirty || saving} onClick={() => setDraft(saved)}>Discard</button>
              <button type="button" className="btn primary" disabled={!dirty || saving} onClick={() => void save()}>{saving ? 'Saving…' : 'Save settings'}</button>
            </div>
          )}
        </div>
      </div>
    </>
  );
}

function SettingsForm({ s, set, claude, disabled }: { s: SettingsT | null; set: (p: Patch) => void; claude: ClaudeStatus | null; disabled: boolean }) {
  const [sched, setSched] = useState<SchedulerStatus | null>(null);
  useEffect(() => {
    if (has('scheduler.status')) callLoose('scheduler.status').then((r) => setSched(r as SchedulerStatus), () => undefined);
  }, [s?.schedule.cron]);
  const v = s ?? DEFAULTS;
  const preset = CRON_PRESETS.find((p) => p.cron === v.schedule.cron);
  return (
    <>
      <Group title="Schedule" sub={sched ? `${sched.active ? 'Scheduler running' : 'Scheduler runs in the desktop app'}${sched.nextDueAt ? ` · next dream ${fmtDateTime(sched.nextDueAt)}` : ''} · ${plural(sched.newSessions, 'new session')} since the last dream` : 'When Reverie dreams on its own (the desktop app runs the schedule; one dream at a time).'}>
        <Row label="Dream on a schedule" hint="A missed time (machine asleep) is caught up once.">
          <select className="btn" aria-label="Schedule" disabled={disabled} value={preset ? String(preset.cron) : 'custom'} onChange={(e) => { const p = CRON_PRESETS.find((x) => String(x.cron) === e.target.value); if (p) set({ schedule: { cron: p.cron } }); }}>
            {CRON_PRESETS.map((p) => <option key={String(p.cron)} value={String(p.cron)}>{p.label}</option>)}
            {!preset && <option value="custom">Custom: {v.schedule.cron}</option>}
          </select>
        </Row>
        <Row label="Cron pattern" hint="Minute, hour, day, month, weekday.">
          <input className="input mono" aria-label="Cron pattern" disabled={disabled || v.schedule.cron === null} value={v.schedule.cron ?? ''} onChange={(e) => set({ schedule: { cron: e.target.value } })} />
        </Row>
        <Row label="After new sessions" hint="Also dream once this many sessions arrived (0 = off).">
          <input className="input narrow num" type="number" min={0} aria-label="Dream after new sessions" disabled={disabled} value={v.schedule.afterNewSessions} onChange={(e) => set({ schedule: { afterNewSessions: Number(e.target.value) } })} />
        </Row>
        <Row label="When idle" hint="Dream when the computer has been idle a while.">
          <Switch label="Dream when idle" checked={v.schedule.whenIdle} onChange={(b) => !disabled && set({ schedule: { whenIdle: b } })} />
        </Row>
      </Group>

      <Group title="Engine" sub="The heuristic engine runs offline. The Claude engine sharpens wording and judges merges with your own key; only redacted excerpts are sent.">
        <Row label="Dream engine">
          <select className="btn" aria-label="Engine" disabled={disabled} value={v.engine} onChange={(e) => set({ engine: e.target.value as SettingsT['engine'] })}>
            <option value="heuristic">Heuristic (offline)</option>
            <option value="claude">Claude</option>
          </select>
        </Row>
        <Row label="Privacy check" hint="The exact redacted requests a Claude dream over the new sessions would send. Nothing is sent.">
          <PreviewButton className="btn" />
        </Row>
        <Row label="Claude model" hint={claude && !claude.priceKnown ? 'Unknown model: costs are counted at the dearest known rates.' : claude ? `${priceOf(claude, v.claudeModel)}This month: ${usd(claude.monthSpentUsd)} of ${usd(v.costCapUsd.monthly)}.` : undefined}>
          <select className="btn" aria-label="Claude model" disabled={disabled} value={v.claudeModel} onChange={(e) => set({ claudeModel: e.target.value })}>
            {(claude?.models ?? []).map((m) => <option key={m.id} value={m.id}>{m.id}</option>)}
            {!(claude?.models ?? []).some((m) => m.id === v.claudeModel) && <option value={v.claudeModel}>{v.claudeModel}</option>}
          </select>
        </Row>
        <Row label="Cost cap per dream" hint="The dream stops before a request that could pass it.">
          <Money label="Cost cap per dream" disabled={disabled} value={v.costCapUsd.perDream} onChange={(n) => set({ costCapUsd: { perDream: n } })} />
        </Row>
        <Row label="Monthly cost cap">
          <Money label="Monthly cost cap" disabled={disabled} value={v.costCapUsd.monthly} onChange={(n) => set({ costCapUsd: { monthly: n } })} />
        </Row>
        <Row label="Review mode" hint="A dream's changes wait for your accept or reject instead of applying at once.">
          <Switch label="Review mode" checked={v.reviewMode} onChange={(b) => !disabled && set({ reviewMode: b })} />
        </Row>
      </Group>

      <Group title="Thresholds" sub="What it takes to become a lesson. One-off events never do.">
        <Row label="Minimum sessions" hint="A pattern must recur in at least this many sessions.">
          <input className="input narrow num" type="number" min={2} aria-label="Minimum sessions" disabled={disabled} value={v.minSessions} onChange={(e) => set({ minSessions: Number(e.target.value) })} />
        </Row>
        <Row label="Minimum agents for a team lesson" hint="A lesson for all agents needs this many agents.">
          <input className="input narrow num" type="number" min={2} aria-label="Minimum agents for a team lesson" disabled={disabled} value={v.minAgentsForTeam} onChange={(e) => set({ minAgentsForTeam: Number(e.target.value) })} />
        </Row>
        <Row label="Lessons per agent" hint="At most this many go into an agent's instruction file.">
          <input className="input narrow num" type="number" min={1} aria-label="Lessons per agent" disabled={disabled} value={v.maxLessonsPerAgent} onChange={(e) => set({ maxLessonsPerAgent: Number(e.target.value) })} />
        </Row>
      </Group>

      <Group title="Write-back" sub="Lessons go into a managed block of each agent's own instruction file; nothing outside the block is touched, and a backup is kept.">
        <Row label="Write back after each dream" hint="Off: you preview and apply below.">
          <Switch label="Write back after each dream" checked={v.writeback.auto} onChange={(b) => !disabled && set({ writeback: { auto: b } })} />
        </Row>
        <Row label="Claude Code target" hint="The project's CLAUDE.md, or your user-wide ~/.claude/CLAUDE.md.">
          <select className="btn" aria-label="Claude Code target" disabled={disabled} value={v.writeback.claudeTarget} onChange={(e) => set({ writeback: { claudeTarget: e.target.value as 'project' | 'user' } })}>
            <option value="project">Project CLAUDE.md</option>
            <option value="user">User ~/.claude/CLAUDE.md</option>
          </select>
        </Row>
      </Group>
    </>
  );
}

function KeySection() {
  const info = useApp((s) => s.info);
  const toast = useApp((s) => s.toast);
  const [state, setState] = useState<KeyState | null>(null);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canKey = has('claude.keyState');
  useEffect(() => {
    if (canKey) callLoose('claude.keyState').then((r) => setState(r as KeyState), (err) => setError(errorMessage(err)));
    else api.call('claude.status').then((s) => setState({ keyPresent: s.keyPresent, source: s.keyPresent ? 'environment' : null, canStore: false }), () => undefined);
  }, [canKey]);
  const run = async (method: string, input: unknown, done: string) => {
    setBusy(true);
    setError(null);
    try {
      setState((await callLoose(method, input)) as KeyState);
      setKey('');
      toast({ message: done, tone: 'success' });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const browser = info?.host === 'browser';
  return (
    <Group title="Anthropic API key" sub="Used only by the Claude engine. Kept encrypted by your OS keychain (Electron safeStorage), never in the store's JSON files, never shown again.">
      <Row label={state?.keyPresent ? (state.source === 'environment' ? 'Key from ANTHROPIC_API_KEY' : 'Key stored in the app') : 'No key'} hint={state?.canStore ? 'Paste a key to store it; it replaces any stored key.' : browser ? 'Browser mode cannot store a key: only the desktop app keeps one (in the OS keychain). Here, set ANTHROPIC_API_KEY before `reverie serve`.' : state?.reason ?? 'This host cannot store a key; set ANTHROPIC_API_KEY instead.'}>
        {state?.canStore ? (
          <form style={{ display: 'flex', gap: 6, width: '100%' }} onSubmit={(e) => { e.preventDefault(); void run('claude.setKey', { key }, 'Key stored in the OS keychain.'); }}>
            <input className="input" type="password" autoComplete="off" aria-label="API key" placeholder="sk-ant-…" value={key} onChange={(e) => setKey(e.target.value)} style={{ flex: 1 }} />
            <button type="submit" className="btn" disabled={busy || key.trim().length < 8}><Icon name="key" size={13} />Store</button>
            {state.source === 'app' && <button type="button" className="btn ghost danger" disabled={busy} onClick={() => void run('claude.clearKey', {}, 'Stored key removed.')}>Remove</button>}
          </form>
        ) : <span className={`tag ${state?.keyPresent ? 'green' : ''}`}>{state?.keyPresent ? 'Key available' : 'Not set'}</span>}
      </Row>
      {error && <p className="alert" role="alert" style={{ margin: '0 16px 12px' }}>{error}</p>}
    </Group>
  );
}

function WritebackSection() {
  const toast = useApp((s) => s.toast);
  const [targets, setTargets] = useState<Target[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const can = has('writeback.preview');
  const preview = async () => {
    setBusy(true);
    setError(null);
    try { setTargets(((await callLoose('writeback.preview', {})) as { targets: Target[] }).targets); } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = (await callLoose('writeback.apply', {})) as { targets: Target[] };
      setTargets(r.targets);
      toast({ message: `Wrote ${plural(r.targets.filter((t) => t.written).length, 'file')}; backups kept.`, tone: 'success' });
    } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };
  const writable = (targets ?? []).filter((t) => ['create', 'insert', 'update'].includes(t.status)).length;
  return (
    <Group title="Write-back targets" sub="Where each agent's lessons go. Preview shows the exact diff first.">
      {!can ? <div style={{ padding: '0 16px 14px' }}><Unavailable what="Write-back from the app">Run <code>reverie writeback --dry-run</code> to preview.</Unavailable></div> : (
        <>
          <div style={{ display: 'flex', gap: 8, padding: '4px 16px 12px' }}>
            <button type="button" className="btn" disabled={busy} onClick={() => void preview()}>{busy && !targets ? 'Previewing…' : 'Preview write-back'}</button>
            {targets && <button type="button" className="btn primary" disabled={busy || writable === 0} onClick={() => void apply()}>Write {plural(writable, 'file')}</button>}
          </div>
          {error && <p className="alert" role="alert" style={{ margin: '0 16px 12px' }}>{error}</p>}
          {targets && targets.length === 0 && <p className="muted" style={{ padding: '0 16px 14px' }}>No agent has lessons to write yet.</p>}
          {targets && targets.length > 0 && (
            <table className="table" aria-label="Write-back targets">
              <thead><tr><th>Agent file</th><th>Status</th><th className="r">Lessons</th><th className="r">Size</th><th /></tr></thead>
              <tbody>
                {targets.map((t, i) => {
                  const k = `${t.tool}:${t.file ?? i}`;
                  return (
                    <Fragment key={k}>
                      <tr>
                        <td><div style={{ fontWeight: 550 }}>{t.tool}</div><div className="path">{t.file ?? '—'}</div></td>
                        <td><span className={`tag ${t.status === 'error' ? 'red' : t.status === 'edited' ? 'amber' : t.status === 'unchanged' || t.status === 'skipped' ? '' : 'accent'}`}>{t.written ? 'written' : t.status}</span>{t.reason && <div className="muted" style={{ fontSize: 11.5, marginTop: 3 }}>{t.reason}</div>}</td>
                        <td className="r">{t.lessonIds.length}{t.omitted.length ? <span className="muted"> (+{t.omitted.length} over budget)</span> : null}</td>
                        <td className="r">{t.chars.toLocaleString()} / {t.budget.toLocaleString()}</td>
                        <td className="r">{t.diff && <button type="button" className="btn sm ghost" aria-expanded={open === k} onClick={() => setOpen(open === k ? null : k)}>Diff</button>}</td>
                      </tr>
                      {open === k && <tr><td colSpan={5}><pre className="mono" style={{ margin: 0, whiteSpace: 'pre-wrap', fontSize: 11.5, maxHeight: 320, overflow: 'auto' }}>{t.diff.split('\n').map((line, j) => <div key={j} style={{ color: line.startsWith('+') ? 'var(--green)' : line.startsWith('-') ? 'var(--red)' : undefined }}>{line}</div>)}</pre></td></tr>}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </Group>
  );
}

function Group({ title, sub, children }: { title: string; sub?: ReactNode; children: ReactNode }) {
  return <section className="card setting-group" aria-label={title}><h2>{title}</h2>{sub && <p className="sub">{sub}</p>}{children}</section>;
}
function Row({ label, hint, children }: { label: string; hint?: ReactNode; children: ReactNode }) {
  return <div className="setting"><div><div className="label">{label}</div>{hint && <div className="hint">{hint}</div>}</div><div className="control">{children}</div></div>;
}
function Money({ value, onChange, label, disabled }: { value: number; onChange: (n: number) => void; label: string; disabled: boolean }) {
  return <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}><span className="muted">$</span><input className="input narrow num" type="number" min={0} step={0.1} aria-label={label} disabled={disabled} value={value} onChange={(e) => onChange(Number(e.target.value))} /></span>;
}

/** The model's own defaults (shown read-only when this build cannot change settings). */
const DEFAULTS: SettingsT = SettingsSchema.parse({});

function mergeDeep<T>(a: T, patch: object): T {
  const out = { ...(a as object) } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) out[k] = v && typeof v === 'object' && !Array.isArray(v) ? { ...(out[k] as object), ...v } : v;
  return out as T;
}
/** Only what changed, so a save never rewrites a field another window just changed. */
function diffPatch(before: SettingsT, after: SettingsT): Patch {
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(after) as (keyof SettingsT)[]) {
    const a = after[k];
    const b = before[k];
    if (a && typeof a === 'object') {
      const sub: Record<string, unknown> = {};
      for (const [sk, sv] of Object.entries(a)) if (JSON.stringify(sv) !== JSON.stringify((b as Record<string, unknown>)[sk])) sub[sk] = sv;
      if (Object.keys(sub).length) patch[k] = sub;
    } else if (a !== b) patch[k] = a;
  }
  return patch as Patch;
}

function priceOf(c: ClaudeStatus, id: string) {
  const m = c.models.find((x) => x.id === id);
  return m ? `$${m.input} in / $${m.output} out per million tokens. ` : '';
}

// Import: drop files or whole folders (sent by content through uploads.*, so it works in browser
// mode too), import a path on this machine, or pick a discovered source. Progress is live (bytes
// while uploading, then the import), and every file that failed is named with its reason.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { DiscoveredSource } from '../../../shared/contract/imports';
import type { ImportResult } from '../../../shared/model';
import { api, callLoose, has, onDataChange } from '../api';
import { errorMessage, useApp } from '../store';
import { Icon } from '../ui/Icon';
import { PageHead, Unavailable } from '../ui/parts';
import { fmtDate, plural } from '../ui/format';
import { useFollowed } from './Followed';

const IMPORTABLE = /\.(jsonl|json|md|traj)$/i;
/** Characters per upload call: well under the bridge's 16 MB body limit even after JSON escaping. */
const CHUNK = 3 * 1024 * 1024;

interface Picked { path: string; file: File }
interface Job { phase: 'upload' | 'import'; sent: number; total: number; current: string; files: number; /** Sessions imported so far (from the core's progress). */ sessions?: number }

/** Walks dropped folders (webkitGetAsEntry: the one way a drop exposes a folder's contents). */
async function collectDrop(items: DataTransferItemList): Promise<Picked[]> {
  const out: Picked[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ path: prefix + file.name, file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries returns at most ~100 entries per call: keep reading until it returns none.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  // Taken synchronously: the drop's items stop being readable after the first await.
  const taken = [...items].filter((i) => i.kind === 'file').map((i) => ({ entry: i.webkitGetAsEntry(), file: i.getAsFile() }));
  for (const { entry, file } of taken) {
    if (entry) await walk(entry, '');
    // No entry API for this item (some drag sources): take it as a plain file.
    else if (file) out.push({ path: file.name, file });
  }
  return out;
}

export function Import() {
  const refresh = useApp((s) => s.refresh);
  const info = useApp((s) => s.info);
  const dreamNow = useApp((s) => s.dreamNow);
  const [over, setOver] = useState(false);
  const [job, setJob] = useState<Job | null>(null);
  const [result, setResult] = useState<(ImportResult & { ignored: number; label: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pathText, setPathText] = useState('');
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const canUpload = has('uploads.begin');

  // The core announces 'import.progress' while an import runs: show its file counts live.
  useEffect(() => onDataChange((topic) => {
    if (topic !== 'import.progress') return;
    api.call('import.progress').then((p) => {
      if (!p.running) return;
      setJob((j) => (j && j.phase === 'import' ? { ...j, sent: p.filesDone, total: p.filesTotal, current: p.file ?? j.current, files: p.filesTotal, sessions: p.sessions } : j));
    }, () => undefined);
  }), []);

  const upload = async (picked: Picked[]) => {
    const wanted = picked.filter((p) => IMPORTABLE.test(p.path));
    const ignored = picked.length - wanted.length;
    setError(null);
    setResult(null);
    if (wanted.length === 0) { setError(picked.length ? `None of the ${picked.length} dropped files is a session log (.jsonl, .json, .md, .traj).` : 'Nothing was dropped.'); return; }
    const total = wanted.reduce((n, p) => n + p.file.size, 0);
    setJob({ phase: 'upload', sent: 0, total, current: wanted[0].path, files: wanted.length });
    try {
      const { uploadId } = (await callLoose('uploads.begin')) as { uploadId: string };
      let sent = 0;
      for (const p of wanted) {
        const text = await p.file.text();
        const bytesPerChar = p.file.size / Math.max(1, text.length);
        for (let at = 0, first = true; first || at < text.length; at += CHUNK, first = false) {
          const part = text.slice(at, at + CHUNK);
          await callLoose('uploads.chunk', { uploadId, path: p.path, text: part, first });
          sent += part.length * bytesPerChar;
          setJob({ phase: 'upload', sent, total, current: p.path, files: wanted.length });
        }
      }
      setJob({ phase: 'import', sent: total, total, current: '', files: wanted.length });
      const r = (await callLoose('uploads.finish', { uploadId })) as ImportResult;
      setResult({ ...r, ignored, label: wanted.length === 1 ? wanted[0].path : plural(wanted.length, 'file') });
      // The import is over once its result shows: the data reload after it must not keep the
      // screen busy (a drop made meanwhile would be refused).
      setJob(null);
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setJob(null);
    }
  };

  const importPath = async (paths: string[], label: string) => {
    setError(null);
    setResult(null);
    setJob({ phase: 'import', sent: 0, total: 0, current: label, files: 0 });
    try {
      const r = await api.call('import.paths', { paths });
      setResult({ ...r, ignored: 0, label });
      setJob(null);
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setJob(null);
    }
  };

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (job) { setError('An import is still running: drop the files again when it has finished.'); return; }
    await upload(await collectDrop(e.dataTransfer.items));
  };
  const fromInput = (list: FileList | null) => {
    if (!list) return;
    void upload([...list].map((file) => ({ path: file.webkitRelativePath || file.name, file })));
  };

  return (
    <>
      <PageHead title="Import" sub={info ? `${plural(info.counts.sessions, 'session')} from ${plural(info.counts.agents, 'agent')} so far` : ''} />
      <div className="page-body">
        <div className="page-inner" style={{ maxWidth: 860 }}>
          <div className={`dropzone ${over ? 'over' : ''}`} role="region" aria-label="Drop session logs here"
            onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; setOver(true); }} onDragLeave={() => setOver(false)} onDrop={(e) => void onDrop(e)}>
            <div className="glyph"><Icon name="import" size={20} /></div>
            <h2>Drop session logs or whole folders</h2>
            <p>Claude Code, Codex, Gemini CLI, Cline, Aider, ChatGPT and Claude.ai exports… the format is detected per file. Importing twice changes nothing; a grown file adds only what is new.</p>
            <div className="row">
              <button type="button" className="btn" disabled={!!job || !canUpload} onClick={() => files.current?.click()}><Icon name="file" size={14} />Choose files…</button>
              <button type="button" className="btn" disabled={!!job || !canUpload} onClick={() => folder.current?.click()}><Icon name="folder" size={14} />Choose a folder…</button>
            </div>
            <input ref={files} type="file" multiple hidden aria-label="Session files" onChange={(e) => { fromInput(e.target.files); e.target.value = ''; }} />
            <input ref={folder} type="file" hidden aria-label="Session folder" {...{ webkitdirectory: '' }} onChange={(e) => { fromInput(e.target.files); e.target.value = ''; }} />
          </div>
          {!canUpload && <div style={{ marginTop: 10 }}><Unavailable what="Uploading files" /></div>}

          <form className="path-row" onSubmit={(e) => { e.preventDefault(); const p = pathText.trim(); if (p) void importPath([p], p); }}>
            <input className="input" aria-label="Path on this machine" placeholder="~/.claude/projects or /path/to/logs" value={pathText} onChange={(e) => setPathText(e.target.value)} disabled={!!job} />
            <button type="submit" className="btn" disabled={!!job || !pathText.trim()}>Import path</button>
          </form>

          <div aria-live="polite" style={{ minHeight: 8 }}>
            {job && <JobProgress job={job} />}
            {error && <p className="alert" role="alert" style={{ marginTop: 14 }}>{error}</p>}
            {result && <ResultCard r={result} onDream={() => void dreamNow()} />}
          </div>

          <Discover busy={!!job} onImport={(d) => void importPath([d.path], d.label)} />
        </div>
      </div>
    </>
  );
}

function JobProgress({ job }: { job: Job }) {
  const pctDone = job.total ? Math.min(100, (job.sent / job.total) * 100) : 0;
  return (
    <div className="card result-card" style={{ marginTop: 14 }} aria-label="Import progress">
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <span className="pulse" />
        <strong>{job.phase === 'upload' ? `Uploading ${plural(job.files, 'file')}` : 'Importing'}</strong>
        <span className="muted mono" style={{ fontSize: 11.5, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{job.current}</span>
        {job.total > 0 && <span className="muted num" style={{ marginLeft: 'auto', whiteSpace: 'nowrap' }} aria-label="Import count">{job.phase === 'upload' ? `${Math.round(pctDone)}%` : `${job.sent} of ${plural(job.total, 'file')}${job.sessions !== undefined ? ` · ${plural(job.sessions, 'session')}` : ''}`}</span>}
      </div>
      {job.total > 0
        ? <div className="bar" role="progressbar" aria-label={job.phase === 'upload' ? 'Upload progress' : 'Import progress'} aria-valuenow={Math.round(pctDone)} aria-valuemin={0} aria-valuemax={100}><i style={{ width: `${pctDone}%` }} /></div>
        : <div className="bar indeterminate" role="progressbar" aria-label="Import in progress"><i /></div>}
    </div>
  );
}

function ResultCard({ r, onDream }: { r: ImportResult & { ignored: number; label: string }; onDream: () => void }) {
  return (
    <section className="card result-card" style={{ marginTop: 14 }} aria-label="Import result">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <Icon name={r.errors.length ? 'alert' : 'check'} size={16} />
        <strong>Imported {r.label}</strong>
        <span style={{ flex: 1 }} />
        {r.sessions > 0 && <button type="button" className="btn sm primary" onClick={onDream}><Icon name="sparkle" size={13} />Dream now</button>}
      </div>
      <div className="figures">
        <div><b>{r.files.toLocaleString()}</b><span>files read</span></div>
        <div><b>{r.sessions.toLocaleString()}</b><span>new sessions</span></div>
        <div><b>{r.events.toLocaleString()}</b><span>events</span></div>
        <div><b>{r.skipped.toLocaleString()}</b><span>unchanged, skipped</span></div>
        <div><b style={{ color: r.errors.length ? 'var(--red)' : undefined }}>{r.errors.length}</b><span>problems</span></div>
      </div>
      {r.ignored > 0 && <p className="muted" style={{ fontSize: 12 }}>{plural(r.ignored, 'file')} ignored: not a session log type.</p>}
      {r.errors.length > 0 && (
        <ul className="errors" aria-label="Import problems">
          {r.errors.slice(0, 200).map((e, i) => <li key={i}><span className="path">{e.file}{e.line ? `:${e.line}` : ''}{e.record ? ` (${e.record})` : ''}</span> — {e.reason}</li>)}
          {r.errors.length > 200 && <li className="muted">…and {r.errors.length - 200} more</li>}
        </ul>
      )}
    </section>
  );
}

function Discover({ busy, onImport }: { busy: boolean; onImport: (d: DiscoveredSource) => void }) {
  const sessions = useApp((s) => s.info?.counts.sessions);
  const toast = useApp((s) => s.toast);
  const { list } = useFollowed();
  const followed = (d: DiscoveredSource) => !!list?.sources.some((f) => f.path === d.path && f.enabled);
  // Following imports what the folder holds now (in the background, where a watcher runs) and every new session after.
  const follow = (d: DiscoveredSource) => api.call('follow.add', { paths: [d.path], tool: d.tool, label: d.label }).then(
    (l) => toast({ message: l.watching ? `Following ${d.label}: its sessions are imported now and as they are written.` : `Following ${d.label}: imported while the app, \`reverie serve\` or \`reverie follow\` runs.`, tone: 'success' }),
    (err) => toast({ message: errorMessage(err), tone: 'error' }),
  );
  const [found, setFound] = useState<DiscoveredSource[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.call('import.discover').then((r) => live && setFound(r.sources), (err) => live && setError(errorMessage(err)));
    return () => { live = false; };
  }, [sessions]);
  return (
    <section aria-label="Discovered sources">
      <h2 className="section-title" style={{ marginTop: 30 }}>Found on this machine<span className="rule" /></h2>
      {error ? <p className="alert" role="alert">{error}</p>
        : !found ? <div className="skeleton" style={{ height: 90 }} />
        : found.length === 0 ? <p className="muted">No known agent log folder on this machine (looked in ~/.claude/projects, ~/.codex/sessions, ~/.gemini/tmp and the like). Drop files above or import a path.</p>
        : (
          <div className="card">
            <table className="table">
              <thead><tr><th>Source</th><th>Folder</th><th className="r">Sessions</th><th className="r">Files · size</th><th className="r">Newest</th><th /></tr></thead>
              <tbody>
                {found.map((d) => (
                  <tr key={d.path} aria-label={d.label}>
                    <td><strong style={{ fontWeight: 550 }}>{d.label}</strong></td>
                    <td className="path">{d.path}</td>
                    <td className="r num nowrap">{sessionsOf(d) !== null ? <b title={d.unit === 'database' ? 'Counted in a copy of the databases (Cursor is never touched)' : 'Counted from the session files, without reading them'}>{plural(sessionsOf(d)!, 'session')}</b> : <span className="muted" title="Several sessions per file: counted when imported">counted on import</span>}</td>
                    <td className="r num nowrap">{plural(d.files, sessionUnit(d))} · {bytes(d.bytes)}</td>
                    <td className="r nowrap">{d.newest ? fmtDate(d.newest) : '—'}</td>
                    <td className="r nowrap">
                      <button type="button" className="btn sm" disabled={busy || d.files === 0} onClick={() => onImport(d)} aria-label={`Import ${d.label}`}>Import</button>{' '}
                      {/* Aider's histories sit in project folders (even ~): too wide a folder to watch. */}
                      {d.tool !== 'aider' && <button type="button" className="btn sm" disabled={followed(d)} onClick={() => void follow(d)} aria-label={`Follow ${d.label}`} title="Import new sessions by themselves from now on">{followed(d) ? 'Following' : 'Follow'}</button>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
  );
}

/**
 * Sessions a source holds, where counting files counts sessions: one log file (or Cline task folder)
 * per session for every tool but Aider, whose history file appends every chat to one file. Counting
 * needs no reading, so the figure is cheap and exact; for Aider the import counts.
 */
const sessionsOf = (d: DiscoveredSource): number | null => (d.unit === 'database' ? (d.sessions ?? null) : d.tool === 'aider' ? null : d.files);
const sessionUnit = (d: DiscoveredSource) => (d.unit === 'database' ? 'database' : d.tool === 'cline' ? 'task folder' : d.tool === 'aider' ? 'history file' : 'file');

const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1048576).toFixed(1)} MB`);

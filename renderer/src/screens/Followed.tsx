// Followed sources (Settings): the folders whose new and grown session files the app (or `serve`, or
// `reverie follow`) imports by itself; each with on/off, its last import and its last problem.
import { useEffect, useState } from 'react';
import type { FollowList } from '../../../shared/contract/follow';
import { api, onDataChange } from '../api';
import { errorMessage, useApp } from '../store';
import { fmtDateTime, plural } from '../ui/format';
import { Switch } from '../ui/parts';

/** The followed list, kept current through the core's 'follow' notifications. */
export function useFollowed(): { list: FollowList | null; error: string | null } {
  const [list, setList] = useState<FollowList | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => api.call('follow.list').then((l) => live && setList(l), (err) => live && setError(errorMessage(err)));
    void load();
    const off = onDataChange((topic) => { if (topic === 'follow') void load(); });
    return () => { live = false; off(); };
  }, []);
  return { list, error };
}

export function FollowedSources() {
  const toast = useApp((s) => s.toast);
  const { list, error } = useFollowed();
  const act = (p: Promise<unknown>) => p.catch((err) => toast({ message: errorMessage(err), tone: 'error' }));
  const sources = list?.sources ?? [];
  return (
    <section className="card setting-group" aria-label="Followed sources">
      <h2>Followed sources</h2>
      <p className="sub">
        {list?.watching ? 'New and grown session files in these folders are imported as they are written.' : 'Imported by themselves while the desktop app, `reverie serve` or `reverie follow` runs.'}
        {' '}Follow a folder from Import → “Found on this machine”, or with <code>reverie follow &lt;folder&gt;</code>.
      </p>
      {error ? <p className="alert" role="alert">{error}</p>
        : !list ? <div className="skeleton" style={{ height: 60 }} />
        : sources.length === 0 ? <p className="muted">Nothing followed yet.</p>
        : (
          <table className="table" aria-label="Followed sources list">
            <thead><tr><th>On</th><th>Folder</th><th>Last import</th><th>Last problem</th><th /></tr></thead>
            <tbody>
              {sources.map((s) => (
                <tr key={s.path} aria-label={s.label ?? s.path}>
                  <td><Switch label={`Follow ${s.path}`} checked={s.enabled} onChange={(enabled) => void act(api.call('follow.set', { path: s.path, enabled }))} /></td>
                  <td>{s.label && <strong style={{ fontWeight: 550, display: 'block' }}>{s.label}</strong>}<span className="path">{s.path}</span></td>
                  <td className="nowrap">{s.lastImportAt ? <>{fmtDateTime(s.lastImportAt)}{s.lastImport && <span className="muted" style={{ display: 'block' }}>{plural(s.lastImport.sessions, 'session')} · {plural(s.lastImport.events, 'event')}</span>}</> : <span className="muted">not yet</span>}</td>
                  <td>{s.lastError ? <span className="alert-text" title={s.lastErrorAt ? fmtDateTime(s.lastErrorAt) : undefined}>{s.lastError}</span> : <span className="muted">none</span>}</td>
                  <td className="r"><button type="button" className="btn sm ghost" aria-label={`Stop following ${s.path}`} onClick={() => void act(api.call('follow.remove', { path: s.path }))}>Remove</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}

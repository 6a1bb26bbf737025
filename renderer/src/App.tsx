import { useCallback, useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract';
import type { Lesson } from '../../shared/model';
import { api, hasToken, onDataChange } from './api';
import './styles.css';

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [lessons, setLessons] = useState<Lesson[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [i, l] = await Promise.all([api.call('app.info'), api.call('lessons.list', { all: false })]);
      setInfo(i);
      setLessons(l);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onDataChange(() => void refresh());
  }, [refresh]);

  const run = async (label: string, fn: () => Promise<unknown>) => {
    setBusy(label);
    try {
      await fn();
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  if (!hasToken()) return <main className="center"><p>Open the address that <code>reverie serve</code> printed: it carries the access token.</p></main>;

  return (
    <div className="app">
      <header className="topbar">
        <h1>Reverie</h1>
        <span className="muted">{info ? `${info.counts.sessions} sessions · ${info.counts.agents} agents · ${info.counts.lessons} lessons` : 'Loading…'}</span>
        <button type="button" disabled={!!busy} onClick={() => run('Dreaming…', () => api.call('dreams.run', { full: false }))}>
          {busy ?? 'Dream now'}
        </button>
      </header>
      {error && <p role="alert" className="error">{error}</p>}
      <main>
        <h2>Lessons</h2>
        {info?.empty ? (
          <section className="empty">
            <p>No sessions yet. Import your agents’ logs with <code>reverie import ~/.claude/projects</code>, or try the bundled demo.</p>
            {info.demoAvailable && (
              <button type="button" disabled={!!busy} onClick={() => run('Loading demo…', async () => { await api.call('app.loadDemo'); await api.call('dreams.run', { full: true }); })}>
                Load demo data
              </button>
            )}
          </section>
        ) : lessons.length === 0 ? (
          <p className="empty">Nothing worth learning yet. Lessons appear when a mistake, a correction or a workflow recurs across sessions.</p>
        ) : (
          <ul className="lessons" aria-label="Lessons">
            {lessons.map((l) => (
              <li key={l.id} className="lesson" aria-label={l.title}>
                <div className="lesson-head">
                  <span className={`kind kind-${l.kind}`}>{l.kind}</span>
                  <strong>{l.title}</strong>
                  {l.pinned && <span className="badge">pinned</span>}
                </div>
                <p>{l.text}</p>
                <p className="muted">
                  {l.support.sessions} sessions · {l.support.agents} agents · confidence {Math.round(l.confidence * 100)}% · {l.evidence.length} evidence
                </p>
                <div className="actions">
                  <button type="button" onClick={() => run('Saving…', () => api.call('lessons.pin', { id: l.id, pinned: !l.pinned }))}>{l.pinned ? 'Unpin' : 'Pin'}</button>
                  <button type="button" onClick={() => run('Deleting…', () => api.call('lessons.delete', { id: l.id }))}>Delete</button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}

// The seed dialog: paste a markdown list (or pick a .md/.json file) of practices you already know;
// each bullet becomes a seeded lesson that dreams confirm or flag, never silently delete.
import { useRef, useState } from 'react';
import { callLoose, has } from '../api';
import { errorMessage, useApp } from '../store';
import { Icon } from '../ui/Icon';
import { Dialog, Unavailable } from '../ui/parts';

/** The method names the seeding work may land under; the first one the core offers is used. */
const SEED_METHODS = ['lessons.seed', 'seeds.import', 'seed.import', 'seeds.add'] as const;
export const seedMethod = () => SEED_METHODS.find(has) ?? null;

export function SeedDialog({ onClose }: { onClose: () => void }) {
  const toast = useApp((s) => s.toast);
  const refresh = useApp((s) => s.refresh);
  const [text, setText] = useState('');
  const [name, setName] = useState('pasted.md');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const method = seedMethod();
  const bullets = text.split('\n').filter((l) => /^\s*([-*+]|\d+\.)\s+\S/.test(l)).length;

  const pick = async (f: File | undefined) => {
    if (!f) return;
    setName(f.name);
    setText(await f.text());
  };
  const submit = async () => {
    if (!method) return;
    setBusy(true);
    setError(null);
    try {
      const res = await callLoose(method, { name, text });
      await refresh();
      const n = countOf(res);
      toast({ message: n === null ? 'Lessons seeded.' : `Seeded ${n} lesson${n === 1 ? '' : 's'}.`, tone: 'success' });
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Seed lessons" description="Practices and pitfalls you already know. Each bullet becomes a seeded lesson; your sessions then confirm it or flag a contradiction." onClose={onClose}
      footer={<>
        <span className="muted">{bullets ? `${bullets} bullet${bullets === 1 ? '' : 's'} found` : 'Markdown bullets or a JSON pack'}</span>
        <button type="button" className="btn ghost" onClick={onClose}>Cancel</button>
        <button type="button" className="btn primary" disabled={!method || busy || !text.trim()} onClick={() => void submit()}>{busy ? 'Seeding…' : 'Seed'}</button>
      </>}>
      {!method && <Unavailable what="Seeding from the app">Until it lands, run <code>reverie seed file.md</code>.</Unavailable>}
      <textarea className="input mono" aria-label="Lessons to seed (markdown)" rows={9} placeholder={'## Practices\n- Run the test suite before committing.\n- Prefer pnpm over npm in this repo.'} value={text} onChange={(e) => setText(e.target.value)} data-autofocus />
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <button type="button" className="btn" onClick={() => file.current?.click()}><Icon name="file" size={14} />Choose a file…</button>
        <span className="muted" style={{ fontSize: 12 }}>{name !== 'pasted.md' ? name : '.md, .markdown or .json'}</span>
        <input ref={file} type="file" accept=".md,.markdown,.txt,.json" hidden aria-label="Seed file" onChange={(e) => void pick(e.target.files?.[0])} />
      </div>
      {error && <p className="alert" role="alert">{error}</p>}
    </Dialog>
  );
}

function countOf(res: unknown): number | null {
  if (Array.isArray(res)) return res.length;
  if (res && typeof res === 'object') {
    for (const k of ['added', 'seeded', 'lessons', 'created']) {
      const v = (res as Record<string, unknown>)[k];
      if (typeof v === 'number') return v;
      if (Array.isArray(v)) return v.length;
    }
  }
  return null;
}

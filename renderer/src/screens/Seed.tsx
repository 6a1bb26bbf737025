// The seed dialog: paste a markdown list (or pick a .md/.json file) of practices you already know,
// or add a bundled pack. Each bullet becomes a seeded lesson that dreams confirm or flag, never
// silently delete. A preview says what would be added and skipped before anything is stored.
import { useEffect, useRef, useState } from 'react';
import type { SeedPack, SeedResult } from '../../../shared/contract';
import { api, callLoose, has } from '../api';
import { errorMessage, useApp } from '../store';
import { Icon } from '../ui/Icon';
import { Dialog } from '../ui/parts';
import { plural } from '../ui/format';

export function SeedDialog({ onClose }: { onClose: () => void }) {
  const toast = useApp((s) => s.toast);
  const refresh = useApp((s) => s.refresh);
  const [text, setText] = useState('');
  const [name, setName] = useState('pasted.md');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<SeedResult | null>(null);
  const [packs, setPacks] = useState<SeedPack[]>([]);
  const file = useRef<HTMLInputElement>(null);

  useEffect(() => { api.call('seeds.packs').then(setPacks, () => setPacks([])); }, []);
  // Preview as the user types (debounced): what would be added, what skipped and why.
  useEffect(() => {
    if (!text.trim()) { setPreview(null); return; }
    const t = setTimeout(() => {
      api.call('seeds.preview', { text, name }).then((r) => { setPreview(r); setError(null); }, (err) => { setPreview(null); setError(errorMessage(err)); });
    }, 250);
    return () => clearTimeout(t);
  }, [text, name]);

  const pick = async (f: File | undefined) => {
    if (!f) return;
    setName(f.name);
    setText(await f.text());
  };
  const apply = async (input: { text: string; name: string } | { packId: string }) => {
    setBusy(true);
    setError(null);
    try {
      // Through the loose call: the typed client cannot narrow this method's either/or input.
      const res = (await callLoose(has('lessons.seed') ? 'lessons.seed' : 'seeds.apply', input)) as SeedResult;
      await refresh();
      toast({ message: `Seeded ${plural(res.added.length, 'lesson')}${res.skipped.length ? `; ${res.skipped.length} skipped (already there)` : ''}.`, tone: 'success' });
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
        <span className="muted" aria-live="polite">{preview ? `${plural(preview.added.length, 'lesson')} to add${preview.skipped.length ? `, ${preview.skipped.length} skipped` : ''}` : 'Markdown bullets or a JSON pack'}</span>
        <button type="button" className="btn ghost" onClick={onClose}>Cancel</button>
        <button type="button" className="btn primary" disabled={busy || !text.trim() || (preview !== null && preview.added.length === 0)} onClick={() => void apply({ text, name })}>{busy ? 'Seeding…' : 'Seed'}</button>
      </>}>
      <textarea className="input mono" aria-label="Lessons to seed (markdown)" rows={8} placeholder={'## Practices\n- Run the test suite before committing.\n- Prefer pnpm over npm in this repo.'} value={text} onChange={(e) => setText(e.target.value)} data-autofocus />
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <button type="button" className="btn" onClick={() => file.current?.click()}><Icon name="file" size={14} />Choose a file…</button>
        <span className="muted" style={{ fontSize: 12 }}>{name !== 'pasted.md' ? name : '.md, .markdown or .json'}</span>
        <input ref={file} type="file" accept=".md,.markdown,.txt,.json" hidden aria-label="Seed file" onChange={(e) => void pick(e.target.files?.[0])} />
      </div>
      {preview && preview.skipped.length > 0 && (
        <ul className="errors muted" aria-label="Skipped" style={{ margin: 0, paddingLeft: 18 }}>
          {preview.skipped.slice(0, 5).map((s, i) => <li key={i}>{s.title}: {s.reason}</li>)}
        </ul>
      )}
      {packs.length > 0 && (
        <div className="field">
          <span className="label">Or add a bundled pack</span>
          <div style={{ display: 'flex', gap: 6, flexWrap: 'wrap' }}>
            {packs.map((p) => (
              <button key={p.id} type="button" className="btn sm" title={p.description} disabled={busy || p.seeded >= p.count} onClick={() => void apply({ packId: p.id })}>
                {p.title}<span className="muted num">{p.seeded >= p.count ? 'added' : `${p.count - p.seeded}`}</span>
              </button>
            ))}
          </div>
        </div>
      )}
      {error && <p className="alert" role="alert">{error}</p>}
    </Dialog>
  );
}

// "Preview what would be sent": the exact Messages API request bodies a Claude dream would send
// (claude.preview runs the heuristic dream on a snapshot, redacts, and sends nothing), shown in
// full: model, system blocks, messages, and a token estimate per request. Discovery batches (the
// digests of sessions Claude has not read, a resumed pending batch first) come before the
// refinement of the lessons, each labelled with what it carries. This is the user's privacy check,
// so nothing is summarised or elided.
import { useEffect, useState } from 'react';
import type { ClaudePreview } from '../../../shared/contract';
import { api } from '../api';
import { errorMessage } from '../store';
import { Icon } from './Icon';
import { Dialog } from './parts';
import { plural } from './format';

/** Same rule as the core's estimate (≈3.5 characters per token); real counts come back in Dream.usage. */
const estimateTokens = (text: string) => Math.ceil(text.length / 3.5);

interface Block { type?: string; text?: string; cache_control?: unknown }
interface Message { role: string; content: string | Block[] }

const blockText = (c: string | Block[] | undefined): string => (typeof c === 'string' ? c : (c ?? []).map((b) => (typeof b.text === 'string' ? b.text : JSON.stringify(b))).join('\n\n'));

export function PreviewButton({ full = false, className = 'btn ghost' }: { full?: boolean; className?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)} title="The exact redacted requests a Claude dream would send; nothing is sent"><Icon name="search" size={13} />Preview what would be sent</button>
      {open && <ClaudePreviewDialog full={full} onClose={() => setOpen(false)} />}
    </>
  );
}

export function ClaudePreviewDialog({ full, onClose }: { full: boolean; onClose: () => void }) {
  const [preview, setPreview] = useState<ClaudePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.call('claude.preview', { full }).then((p) => live && setPreview(p), (err) => live && setError(errorMessage(err)));
    return () => { live = false; };
  }, [full]);
  const tokens = preview?.requests.map((r) => ({ prefix: estimateTokens(JSON.stringify(r.tools ?? []) + JSON.stringify(r.system ?? [])), messages: estimateTokens(JSON.stringify(r.messages ?? [])) })) ?? [];
  const total = tokens.reduce((n, t) => n + t.prefix + t.messages, 0);
  const discovery = preview?.batches.filter((b) => b.kind === 'discovery') ?? [];
  return (
    <Dialog
      wide
      title="What a Claude dream would send"
      description={<>Nothing has been sent. {full ? 'A full re-dream' : 'A dream over the new sessions'} would send these request bodies to Anthropic exactly as shown, secrets already redacted.</>}
      onClose={onClose}
      footer={<>
        {preview && <span className="muted" aria-label="Preview totals">{plural(preview.requests.length, 'request')} to {preview.model} · ≈{total.toLocaleString()} input tokens{discovery.length ? ` · ${plural(discovery.length, 'discovery batch', 'discovery batches')} reading ${plural(discovery.reduce((n, b) => n + b.items, 0), 'session')}` : ''}</span>}
        <button type="button" className="btn" onClick={onClose}>Close</button>
      </>}
    >
      {error && <p className="alert" role="alert">{error}</p>}
      {!preview && !error && <p className="muted" role="status">Running the dream on a snapshot to build the requests…</p>}
      {preview && <p className="muted">{preview.note}</p>}
      {preview?.requests.map((r, i) => (
        <section key={i} className="preview-req" aria-label={`Request ${i + 1}`}>
          <header>
            <h3>Request {i + 1} of {preview.requests.length}</h3>
            {preview.batches[i] && (
              <span className="tag" aria-label="What it carries">
                {preview.batches[i].kind === 'discovery' ? `discovery · ${plural(preview.batches[i].items, 'session digest')}` : `refinement · ${plural(preview.batches[i].items, 'cluster')}`}
              </span>
            )}
            {preview.batches[i]?.resumed && <span className="tag amber" title={preview.batches[i].resumed}>resumed: pending since a failed dream</span>}
            <span className="tag">model {String(r.model)}</span>
            <span className="tag">max_tokens {String(r.max_tokens)}</span>
            <span className="tag accent" title="system + tools are the cached prefix">≈{(tokens[i].prefix + tokens[i].messages).toLocaleString()} input tokens</span>
          </header>
          {((r.system as Block[] | undefined) ?? []).map((b, j) => (
            <div key={`s${j}`} className="preview-part">
              <span className="lbl">System{b.cache_control ? ' · cached' : ''}</span>
              <pre>{b.text}</pre>
            </div>
          ))}
          {((r.messages as Message[] | undefined) ?? []).map((m, j) => (
            <div key={`m${j}`} className="preview-part">
              <span className="lbl">Message · {m.role}</span>
              <pre>{blockText(m.content)}</pre>
            </div>
          ))}
          {Array.isArray(r.tools) && r.tools.length > 0 && (
            <div className="preview-part">
              <span className="lbl">Tools (the answer's schema)</span>
              <pre>{JSON.stringify(r.tools, null, 2)}</pre>
            </div>
          )}
        </section>
      ))}
    </Dialog>
  );
}

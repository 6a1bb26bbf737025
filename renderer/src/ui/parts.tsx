// Shared building blocks: drawer, dialog, toasts, empty and "not available yet" states.
import { useEffect, useRef, type ReactNode } from 'react';
import { useApp } from '../store';
import { Icon, type IconName } from './Icon';

/** Open modals, innermost last: only the top one answers Escape and traps Tab. */
const modalStack: object[] = [];

/** Escape closes; focus moves into the panel on open and back to where it was on close. */
function useModal(onClose: () => void) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const me = {};
    modalStack.push(me);
    const before = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus], textarea, input, button:not([aria-label="Close"])');
    (first ?? ref.current)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (modalStack[modalStack.length - 1] !== me) return;
      if (e.key === 'Escape') { e.stopPropagation(); onClose(); }
      if (e.key === 'Tab' && ref.current) {
        const items = [...ref.current.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter((el) => !el.hasAttribute('disabled'));
        if (items.length === 0) return;
        const [firstEl, lastEl] = [items[0], items[items.length - 1]];
        if (e.shiftKey && document.activeElement === firstEl) { e.preventDefault(); lastEl.focus(); }
        else if (!e.shiftKey && document.activeElement === lastEl) { e.preventDefault(); firstEl.focus(); }
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => { modalStack.splice(modalStack.indexOf(me), 1); document.removeEventListener('keydown', onKey, true); before?.focus?.(); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return ref;
}

export function Drawer({ title, sub, onClose, children, label }: { title: ReactNode; sub?: ReactNode; onClose: () => void; children: ReactNode; label: string }) {
  const ref = useModal(onClose);
  return (
    <>
      <div className="scrim" onClick={onClose} />
      <div className="drawer" role="dialog" aria-modal="true" aria-label={label} ref={ref} tabIndex={-1}>
        <div className="drawer-head">
          <div><h2>{title}</h2>{sub && <div className="sub">{sub}</div>}</div>
          <button type="button" className="btn ghost icon" aria-label="Close" onClick={onClose}><Icon name="close" /></button>
        </div>
        <div className="drawer-body">{children}</div>
      </div>
    </>
  );
}

export function Dialog({ title, description, onClose, children, footer, wide }: { title: string; description?: ReactNode; onClose: () => void; children: ReactNode; footer: ReactNode; wide?: boolean }) {
  const ref = useModal(onClose);
  return (
    <>
      <div className="scrim" onClick={onClose} />
      <div className={wide ? 'dialog wide' : 'dialog'} role="dialog" aria-modal="true" aria-label={title} ref={ref} tabIndex={-1}>
        <div className="dialog-head"><h2>{title}</h2>{description && <p>{description}</p>}</div>
        <div className="dialog-body">{children}</div>
        <div className="dialog-foot">{footer}</div>
      </div>
    </>
  );
}

export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  const dismiss = useApp((s) => s.dismiss);
  return (
    <div className="toasts" role="region" aria-label="Notifications">
      {toasts.map((t) => <ToastItem key={t.id} id={t.id} message={t.message} tone={t.tone} action={t.action} onDismiss={dismiss} />)}
    </div>
  );
}

function ToastItem({ id, message, tone, action, onDismiss }: { id: number; message: string; tone?: string; action?: { label: string; run: () => void | Promise<void> }; onDismiss: (id: number) => void }) {
  useEffect(() => {
    // Long enough to reach for Undo; errors stay until dismissed.
    if (tone === 'error') return;
    const t = setTimeout(() => onDismiss(id), action ? 8000 : 4500);
    return () => clearTimeout(t);
  }, [id, tone, action, onDismiss]);
  return (
    <div className={`toast ${tone ?? ''}`} role={tone === 'error' ? 'alert' : 'status'}>
      <span className="tdot" />
      <span className="msg">{message}</span>
      {action && <button type="button" className="btn sm" onClick={() => { onDismiss(id); void action.run(); }}>{action.label}</button>}
      <button type="button" className="btn sm ghost icon" aria-label="Dismiss" onClick={() => onDismiss(id)}><Icon name="close" size={14} /></button>
    </div>
  );
}

export function Empty({ icon, title, children, actions }: { icon: IconName; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="empty" aria-label={title}>
      <div className="glyph"><Icon name={icon} size={22} /></div>
      <h2>{title}</h2>
      <p>{children}</p>
      {actions && <div className="actions">{actions}</div>}
    </section>
  );
}

/** Shown where the core does not offer a method yet: says what will appear and how to get it today. */
export function Unavailable({ what, children }: { what: string; children?: ReactNode }) {
  return (
    <div className="unavailable" role="note" aria-label={`${what} not available yet`}>
      <Icon name="alert" />
      <div><strong>{what} is not available in this build yet.</strong>{children && <> {children}</>}</div>
    </div>
  );
}

export function PageHead({ title, sub, children }: { title: string; sub?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-head">
      <h1>{title}</h1>
      {sub && <span className="sub">{sub}</span>}
      <span className="spacer" />
      {children}
    </header>
  );
}

export function Switch({ checked, onChange, label }: { checked: boolean; onChange: (v: boolean) => void; label: string }) {
  return (
    <span className="switch">
      <input type="checkbox" role="switch" aria-label={label} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <i />
    </span>
  );
}

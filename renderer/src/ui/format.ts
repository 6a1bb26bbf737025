// Small, locale-aware formatting helpers shared by the screens.
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['year', 31536e6], ['month', 2592e6], ['week', 6048e5], ['day', 864e5], ['hour', 36e5], ['minute', 6e4]];

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'unknown';
  const diff = Date.parse(iso) - now;
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms) return rtf.format(Math.round(diff / ms), unit);
  return 'just now';
}

const dateFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export const fmtDate = (iso: string | null | undefined) => (iso ? dateFmt.format(new Date(iso)) : '—');
export const fmtDay = (iso: string) => dayFmt.format(new Date(iso));
export const fmtTime = (iso: string | null | undefined) => (iso ? timeFmt.format(new Date(iso)) : '—');
export const fmtDateTime = (iso: string | null | undefined) => (iso ? dateTimeFmt.format(new Date(iso)) : '—');
// One formatter for every count: Number#toLocaleString builds a new one per call, which showed up
// as the top cost of scrolling the timeline.
const numberFmt = new Intl.NumberFormat();
export const num = (n: number) => numberFmt.format(n);
export const plural = (n: number, one: string, many = `${one}s`) => `${numberFmt.format(n)} ${n === 1 ? one : many}`;
export const pct = (x: number) => `${Math.round(x * 100)}%`;
export const usd = (x: number) => (x < 0.01 && x > 0 ? '<$0.01' : `$${x.toFixed(2)}`);

/**
 * A colour per agent (lanes, chart series), the same in both themes. Agents known to the store get
 * distinct hues in the store's order; an id not (yet) known falls back to a hash of it.
 */
const HUES = [250, 330, 160, 28, 200, 45, 285, 120, 5, 185];
const order = new Map<string, number>();
export function setAgentOrder(ids: string[]): void {
  order.clear();
  [...ids].sort().forEach((id, i) => order.set(id, i));
}
export function agentColor(id: string): string {
  let i = order.get(id);
  if (i === undefined) {
    let h = 0;
    for (let c = 0; c < id.length; c++) h = (h * 31 + id.charCodeAt(c)) >>> 0;
    i = h;
  }
  return `hsl(${HUES[i % HUES.length]} 62% 56%)`;
}

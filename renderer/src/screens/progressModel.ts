// The Progress screen's view of the core's improvement report. The report's method landed
// separately from this screen, so its reply is read through this one adapter (tolerant of field
// names) and everything else in the screen works on these plain types.
export interface LessonProgress {
  id: string;
  title: string;
  before: number | null;
  after: number | null;
  stalled: boolean;
  reason: string | null;
  detail: string;
  activatedAt: number | null;
  curve: { t: number; v: number }[];
}
export interface ProgressReport { summary: string | null; overall: { before: number | null; after: number | null }; lessons: LessonProgress[] }

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const num = (...vs: unknown[]): number | null => { for (const v of vs) if (typeof v === 'number' && Number.isFinite(v)) return v; return null; };
const str = (...vs: unknown[]): string | null => { for (const v of vs) if (typeof v === 'string' && v) return v; return null; };
const time = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null);

export function parseProgress(raw: unknown): ProgressReport {
  const r = obj(raw);
  const o = obj(r.overall);
  const list = Array.isArray(r.lessons) ? r.lessons : Array.isArray(raw) ? raw : [];
  return {
    summary: str(r.summary, r.note),
    overall: { before: num(o.before, o.ratePerSessionBefore, o.beforeRate), after: num(o.after, o.ratePerSessionAfter, o.afterRate) },
    lessons: list.map((x, i) => {
      const l = obj(x);
      const b = obj(l.before);
      const a = obj(l.after);
      const series = (Array.isArray(l.curve) ? l.curve : Array.isArray(l.series) ? l.series : Array.isArray(l.points) ? l.points : []).map((p) => {
        const q = obj(p);
        return { t: time(q.t ?? q.at ?? q.week ?? q.date ?? q.start) ?? 0, v: num(q.v, q.rate, q.value, q.perSession) ?? 0 };
      });
      const stalledRaw = l.stalled;
      const stalled = typeof stalledRaw === 'boolean' ? stalledRaw : !!(stalledRaw && typeof stalledRaw === 'object');
      return {
        id: str(l.id, l.lessonId) ?? String(i),
        title: str(l.title, obj(l.lesson).title) ?? 'Lesson',
        before: num(l.before, b.rate, b.perSession, l.rateBefore),
        after: num(l.after, a.rate, a.perSession, l.rateAfter),
        stalled,
        reason: str(l.reason, l.why, obj(stalledRaw).reason, l.explanation),
        detail: str(l.detail) ?? sessionsDetail(num(b.sessions, l.sessionsBefore), num(a.sessions, l.sessionsAfter)),
        activatedAt: time(l.activatedAt),
        curve: series,
      };
    }),
  };
}

const sessionsDetail = (before: number | null, after: number | null) => (before !== null && after !== null ? `${before} sessions before · ${after} after` : '');

// Recorded discovery answers for the fake Messages API: what Claude answers to each exact
// discovery request (keyed by its hash), written from the request itself the way a careful reader
// would — every line where the user voiced the wish, cited as `S<n>#<line>`. Optionally with the
// failure modes Reverie must survive: citations of events Claude was never shown, and a session
// count it made up.
import { requestHash } from '../../electron/core/dreaming/claude/discovery';
import type { RequestBody } from '../../electron/core/dreaming/claude/prompt';

export interface Wish { title: string; text: string; kind?: 'mistake' | 'preference' | 'workflow'; line: RegExp }

/** The `S<n>#<line>` refs of digest lines (in one request's user text) matching `line`. */
export function refsOf(body: RequestBody, line: RegExp): string[] {
  const refs: string[] = [];
  for (const part of body.messages[0].content[0].text.split(/\n(?=## S\d+ )/)) {
    const s = /^(?:<sessions>\n)?## (S\d+) /.exec(part)?.[1];
    if (s) for (const l of part.split('\n')) if (/^\d+ /.test(l) && line.test(l)) refs.push(`${s}#${l.split(' ')[0]}`);
  }
  return refs;
}

export function recordAnswers(recorded: Record<string, unknown>, bodies: RequestBody[], wishes: Wish[], opts: { fabricate?: boolean; claimSessions?: number } = {}): void {
  for (const body of bodies) {
    const patterns = wishes.flatMap((w) => {
      const refs = refsOf(body, w.line);
      if (!refs.length) return [];
      return [{
        kind: w.kind ?? 'preference', title: w.title, text: w.text,
        evidence: [...refs, ...(opts.fabricate ? ['S99#1', 'S1#9999999'] : [])],
        ...(opts.claimSessions ? { sessions: opts.claimSessions } : {}),
      }];
    });
    recorded[requestHash(body)] = { patterns };
  }
}

export const PNPM_WISH: Wish = {
  title: 'Use pnpm for every install',
  text: 'This repository is a pnpm workspace: install and add packages with pnpm, never npm; leave package-lock alone.',
  line: /^\d+ said: .*pnpm/,
};

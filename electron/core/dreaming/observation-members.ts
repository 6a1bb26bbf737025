// A key's observations as they lie in the index file, one member at a time: `{"<session>":{…},…}`.
// A key that recurs in thousands of sessions has a line of megabytes; mining it, or writing it back
// with one session changed, walks it a chunk at a time instead of parsing it whole, so what a dream
// holds does not grow with how often a key recurs.

/** One `"<session id>":{…}` member: the id, where the member starts and ends in the file, its value's JSON when asked for. */
export interface Member { sid: string; at: number; end: number; json: string }

const SPACE = new Set([0x20, 0x0d, 0x0a, 0x09]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Where the JSON string starting at `i` (its opening quote) ends, past its closing quote; -1: not in `buf`. */
function stringEnd(buf: Buffer, i: number): number {
  // The next quote found natively (texts are most of the bytes), then checked: one after an odd run of backslashes is escaped.
  for (let j = buf.indexOf(QUOTE, i + 1); j >= 0; j = buf.indexOf(QUOTE, j + 1)) {
    let slashes = 0;
    while (buf[j - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return j + 1;
  }
  return -1;
}

/** Where the object starting at `i` (its `{`) ends, past its `}`; -1: not in `buf`. */
function objectEnd(buf: Buffer, i: number): number {
  let depth = 0;
  for (let j = i; j < buf.length; j++) {
    const c = buf[j];
    if (c === QUOTE) {
      const e = stringEnd(buf, j);
      if (e < 0) return -1;
      j = e - 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) if (--depth === 0) return j + 1;
  }
  return -1;
}

const skipSpace = (buf: Buffer, i: number) => { while (i < buf.length && SPACE.has(buf[i]!)) i++; return i; };

/**
 * The members of the JSON object lying in the file between `from` and `to`, read `chunk` bytes at a
 * time through `readAt`. Throws `damaged()` when the bytes are not an object of objects.
 */
export function* membersIn(readAt: (from: number, to: number) => Buffer, from: number, to: number, damaged: () => Error, withJson = true, chunk = 1 << 20): Generator<Member> {
  let base = from;
  let buf = readAt(from, Math.min(to, from + chunk));
  /** Reads on, keeping the bytes from `keep`: false at the end of the range. */
  const more = (keep: number) => {
    const at = base + buf.length;
    if (at >= to) return false;
    buf = Buffer.concat([buf.subarray(keep), readAt(at, Math.min(to, at + Math.max(chunk, buf.length - keep)))]);
    base += keep;
    return true;
  };
  let i = skipSpace(buf, 0);
  if (buf[i] !== 0x7b) throw damaged();
  i++;
  let first = true;
  for (;;) {
    let p = skipSpace(buf, i);
    if (p >= buf.length) { if (more(i)) { i = 0; continue; } throw damaged(); }
    if (buf[p] === 0x7d) return;
    if (!first) {
      if (buf[p] !== 0x2c) throw damaged();
      p = skipSpace(buf, p + 1);
    }
    // A member: its id, a colon, its object. Cut by the chunk's end, it is read again from its start with more bytes.
    const keyEnd = p < buf.length && buf[p] === QUOTE ? stringEnd(buf, p) : p < buf.length ? -2 : -1;
    if (keyEnd === -2) throw damaged();
    const colon = keyEnd < 0 ? -1 : skipSpace(buf, keyEnd);
    const open = colon < 0 || colon >= buf.length ? -1 : buf[colon] === 0x3a ? skipSpace(buf, colon + 1) : -2;
    if (open === -2) throw damaged();
    if (open >= 0 && open < buf.length && buf[open] !== 0x7b) throw damaged();
    const end = open < 0 || open >= buf.length ? -1 : objectEnd(buf, open);
    if (end < 0) { if (more(i)) { i = 0; continue; } throw damaged(); }
    const raw = buf.toString('utf8', p + 1, keyEnd - 1);
    const sid = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
    yield { sid, at: base + p, end: base + end, json: withJson ? buf.toString('utf8', open, end) : '' };
    first = false;
    i = end;
  }
}

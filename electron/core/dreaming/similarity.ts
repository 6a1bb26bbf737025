// Text similarity for clustering signal keys: TF-IDF weighted cosine over stemmed content words.
// Written here (≈60 lines) rather than pulled from a library: we need tokens that ignore polarity
// and filler, IDF over the keys of one dream, and an inverted index to avoid all-pairs compares —
// the NLP packages on npm bring far more than that and none of the blocking.

const STOP = new Set([
  'the', 'a', 'an', 'please', 'you', 'to', 'and', 'it', 'this', 'that', 'of', 'in', 'for', 'on', 'i', 'we', 'just', 'be', 'is', 'are', 'me',
  'my', 'our', 'your', 'so', 'with', 'at', 'here', 'there', 'ok', 'okay', 'then', 'again', 'also', 'no', 'not', 'never', 'dont', 'don', 'do',
  'does', 'did', 'always', 'only', 'instead', 'rather', 'than', 'stop', 'avoid', 'use', 'using', 'used', 'actually', 'wait', 'from', 'now', 'on',
  'make', 'sure', 'remember', 'prefer', 'want', 'like', 'should', 'must', 'can', 'could', 'would', 'will', 'any', 'every', 'each', 'all', 'it',
  'correction', 'preference', 'rejection', 'interrupt', 'its', 'when', 'time', 'future', 'going', 'forward', 'by', 'default', 'as', 'or', 'but',
  'itself', 'those', 'these', 'everywhere', 'anything', 'everything', 'something', 'told', 'said', 'asked', 'forgot', 'forget', 'ignored', 'missed', 'have', 'has', 'was', 'were', 'been', 'being', 'if', 'let', 'lets', 'get', 'got', 'go', 'keep', 'thing', 'things', 'one', 'yes', 'again',
]);

/** Folds plural and verb endings so "tests", "testing" and "tested" count as one word. */
export function stem(w: string): string {
  if (w.length <= 4) return w;
  let s = stems.get(w);
  if (s === undefined) {
    s = w.replace(/(?<=\w{4})ation$/, '').replace(/(ies)$/, 'y').replace(/(ing|ed|es|s)$/, '').replace(/(?<=\w{4})er$/, '') || w;
    // Words repeat (a dream tokenizes every error key of the store): four regexes once per word, within bounds.
    if (stems.size >= 100_000) stems.clear();
    stems.set(w, s);
  }
  return s;
}
const stems = new Map<string, string>();

/**
 * Content words of a text: lower case, stemmed, placeholders (`<path>`) kept as words. Words are
 * runs of `a-z 0-9 < > _ . -` with leading and trailing dots and dashes trimmed; scanned by hand,
 * not split by a regular expression: a dream tokenizes every error key of the store (80,000 at a year of logs).
 */
export function tokens(text: string): string[] {
  let s = text.toLowerCase();
  if (s.includes("n't")) s = s.replace(/n't\b/g, ' not');
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 60 || c === 62 || c === 95 || c === 46 || c === 45) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    let a = start, b = i;
    start = -1;
    while (a < b && (s.charCodeAt(a) === 46 || s.charCodeAt(a) === 45)) a++;
    while (b > a && (s.charCodeAt(b - 1) === 46 || s.charCodeAt(b - 1) === 45)) b--;
    if (b - a < 2) continue;
    const w = s.slice(a, b);
    if (!STOP.has(w)) out.push(stem(w));
  }
  return out;
}

/** Words that say little about *what* an instruction is about: weighed down, not dropped. */
// Not 'add' or 'remove': "don't add comments" and "don't remove comments" are opposite wishes.
const GENERIC = new Set(['run', 'first', 'repo', 'project', 'codebase', 'file', 'code', 'chang', 'change', 'updat', 'update', 'before', 'after', 'check', 'install', 'command', 'work', 'need', 'new', 'way', 'good', 'right', 'wrong', 'thi', 'again', 'put', 'do', 'done', 'try', 'fix']);
const GENERIC_WEIGHT = 0.35;
/** Conditions of an instruction (`~…`, "unless it is obscure"): they refine it, they are not what it is about. */
const QUALIFIER_WEIGHT = 0.25;

// Words that negate the rest of their clause; a clause ends at punctuation.
const NEGATORS = new Set(['not', 'never', 'avoid', 'stop', 'without', 'instead', 'rather', 'dont', 'quit', 'remove', 'delete', 'drop']);

/**
 * Content words with their polarity: a word inside a negated clause gets a leading "!", so
 * "use pnpm, not npm" is {pnpm, !npm} and "don't use tabs" is {!tab}. Clustering on signed words
 * keeps a rule and its reversal apart; comparing unsigned words finds that they are about the same.
 */
export function signedTokens(text: string): string[] {
  const out: string[] = [];
  for (const clause of text.toLowerCase().replace(/n't\b/g, ' not').replace(/\bno more\b/g, 'not').split(/[,;:!?()]|\.(?=\s|$)|\s-\s|\bbut\b/)) {
    let neg = false;
    for (const raw of clause.split(/[^a-z0-9<>_.-]+/)) {
      const w = raw.replace(/^[.-]+|[.-]+$/g, '');
      if (NEGATORS.has(w) || w === 'no') { neg = true; continue; }
      if (w.length <= 1 || STOP.has(w)) continue;
      out.push(neg ? `!${stem(w)}` : stem(w));
    }
  }
  return out;
}

export const unsigned = (doc: string[]) => doc.map((t) => (t.startsWith('!') ? t.slice(1) : t));

export type Vector = Map<string, number>;

/**
 * IDF over a set of documents (each a token list); smoothed so no weight is zero. `copies`: how many
 * documents each one stands for (distinct documents counted with their duplicates), 1 each by default.
 */
export function idfOf(docs: string[][], copies?: number[]): Map<string, number> {
  const df = new Map<string, number>();
  docs.forEach((d, i) => { const c = copies?.[i] ?? 1; for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + c); });
  const n = copies ? copies.reduce((sum, c) => sum + c, 0) : docs.length;
  return new Map([...df].map(([t, c]) => [t, Math.log((1 + n) / (1 + c)) + 1]));
}

export function vectorOf(doc: string[], idf: Map<string, number>): Vector {
  const v: Vector = new Map();
  for (const t of doc) v.set(t, (v.get(t) ?? 0) + (idf.get(t) ?? 1) * (t.startsWith('~') ? QUALIFIER_WEIGHT : GENERIC.has(t.replace(/^!/, '')) ? GENERIC_WEIGHT : 1));
  return v;
}

export function cosine(a: Vector, b: Vector): number {
  let dot = 0, na = 0, nb = 0;
  for (const [t, x] of a) { na += x * x; const y = b.get(t); if (y) dot += x * y; }
  for (const y of b.values()) nb += y * y;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * For short instructions: the mean of cosine and containment (how much of the smaller one the
 * larger covers), so "use pnpm, not npm" still matches "wrong package manager: this project uses
 * pnpm, not npm". A one-word instruction gets plain cosine, or it would match anything naming it.
 */
export function instructionSimilarity(a: Vector, b: Vector): number {
  const c = cosine(a, b);
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  // A one-word instruction matches a short one that says it too ("don't commit" in "never commit,
  // push or open PRs"), not a long one that merely names the word.
  if (small.size < 2 && large.size > 4) return c;
  let dot = 0, ns = 0;
  for (const [t, x] of small) { ns += x * x; const y = large.get(t); if (y) dot += Math.min(x, y) * Math.min(x, y); }
  return ns ? (c + dot / ns) / 2 : c;
}

/**
 * Whether two signed documents are about the same thing (unsigned cosine ≥ `about`) but say the
 * opposite (the shared weight mostly has opposite signs): "use tabs" against "don't use tabs".
 */
export function contradicts(a: string[], b: string[], idf: Map<string, number>, about = 0.5): boolean {
  const ua = vectorOf(unsigned(a), idf), ub = vectorOf(unsigned(b), idf);
  if (cosine(ua, ub) < about) return false;
  const sa = new Map(a.map((t) => [t.replace(/^!/, ''), t.startsWith('!') ? -1 : 1]));
  const sb = new Map(b.map((t) => [t.replace(/^!/, ''), t.startsWith('!') ? -1 : 1]));
  let agree = 0, oppose = 0;
  for (const [t, x] of ua) {
    const y = ub.get(t);
    if (!y) continue;
    if (sa.get(t) === sb.get(t)) agree += x * y;
    else oppose += x * y;
  }
  return oppose > agree;
}

/**
 * Groups documents whose cosine similarity reaches `threshold` (single link, via union-find).
 * Candidate pairs come from an inverted index on each document's rarest tokens, so the cost grows
 * with the number of plausible pairs, not with n². Returns the group index of every document;
 * the result depends only on the set of documents, not on their order.
 */
export function clusterTexts(docs: string[][], threshold: number, sim: (a: Vector, b: Vector) => number = cosine, rareTokens = 3): number[] {
  // Keys often differ only in what their tokens leave out (an exit code, a value): identical token
  // lists are one document, compared once — at 10,000 sessions that is most of the work saved.
  const distinct = new Map<string, number>();
  const reps: string[][] = [];
  /** How many documents each distinct one stands for: the IDF counts documents. */
  const copies: number[] = [];
  const slot = docs.map((d) => {
    const k = d.length > 1 ? [...d].sort().join('\u0000') : (d[0] ?? '');
    let u = distinct.get(k);
    if (u === undefined) distinct.set(k, (u = distinct.size)), reps.push(d), copies.push(0);
    copies[u]!++;
    return u;
  });
  const idf = idfOf(reps, copies);
  // Vectors only for documents that meet another in a posting list: at 100,000 sessions most keys
  // are one-offs whose rare tokens nobody shares, and a Map per document is most of the memory.
  const vecs: (Vector | undefined)[] = new Array(reps.length);
  const vec = (i: number) => (vecs[i] ??= vectorOf(reps[i], idf));
  // Typed arrays and plain loops: the pair loop below runs millions of times at 100,000 keys.
  const parent = Int32Array.from(reps, (_, i) => i);
  const find = (i: number): number => {
    // Path halving, without recursion.
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const single = Math.log((1 + docs.length) / 2) + 1 - 1e-9;
  // Tokens another document shares (a token only one has pairs it with nothing), rarest first (ties
  // by name), numbered once: a document's rarest ones are then a numeric sort, not a sort by look-ups.
  const byRarity = [...idf.keys()].filter((t) => idf.get(t)! < single).sort((x, y) => (idf.get(y)! - idf.get(x)!) || x.localeCompare(y));
  const place = new Map(byRarity.map((t, i) => [t, i]));
  const postings = new Map<number, number[]>();
  const rareOf = reps.map((d, i) => {
    const rare = [...new Set(d)].map((t) => place.get(t)).filter((p): p is number => p !== undefined).sort((x, y) => x - y).slice(0, rareTokens);
    for (const t of rare) (postings.get(t) ?? postings.set(t, []).get(t)!).push(i);
    return rare;
  });
  // A token this common says nothing about identity: its list pairs nothing.
  const kept = [...postings].filter(([, list]) => list.length > 1 && list.length <= 1000);
  const lists = kept.map(([, list]) => list);
  // A pair sharing several rare tokens is compared in the list of the first of them only: that
  // replaces a set of every pair compared, which at 100,000 keys held millions of numbers.
  const rank = new Map(kept.map(([t], r) => [t, r]));
  // Each document's rare tokens as the ranks of their lists (-1: no list), `rareTokens` per document.
  const ranks = new Int32Array(reps.length * rareTokens).fill(-1);
  rareOf.forEach((rare, i) => rare.forEach((t, j) => (ranks[i * rareTokens + j] = rank.get(t) ?? -1)));
  const comparedBefore = (a: number, b: number, r: number) => {
    for (let i = a * rareTokens, ea = i + rareTokens; i < ea; i++) {
      const t = ranks[i]!;
      if (t >= 0 && t < r) for (let j = b * rareTokens, eb = j + rareTokens; j < eb; j++) if (ranks[j] === t) return true;
    }
    return false;
  };
  // Plain cosine rules most pairs out with a bound on what they could reach, checked first: at
  // 100,000 sessions lists pair millions of documents and fewer than one in a hundred gets near.
  const packed = sim === cosine ? packedCosine(reps, idf, lists, threshold) : null;
  const similarity = packed ? packed.cosine : (a: number, b: number) => sim(vec(a), vec(b));
  const mayReach = packed?.mayReach;
  for (let r = 0; r < lists.length; r++) {
    const list = lists[r]!;
    for (let x = 0; x < list.length; x++) {
      const a = list[x]!;
      for (let y = x + 1; y < list.length; y++) {
        const b = list[y]!;
        if (mayReach && !mayReach(a, b)) continue;
        const ra = find(a), rb = find(b);
        if (ra === rb) continue; // already one group: nothing to learn from comparing
        if (comparedBefore(a, b, r)) continue;
        if (similarity(a, b) >= threshold) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  // Each document's group, named by the first document in it: the same whatever order they came in.
  const first = new Map<number, number>();
  docs.forEach((_, i) => { const r = find(slot[i]); if (!first.has(r)) first.set(r, i); });
  return docs.map((_, i) => first.get(find(slot[i]))!);
}

/**
 * Plain cosine between documents, for the many pairs error keys produce (millions at 100,000
 * sessions): the vectors of every document a list holds are packed once, in list order, into flat
 * arrays (sorted token numbers, weights, norms), so a pair costs one merge of two short runs.
 *
 * Most pairs a list pairs are far apart, and get 0 without the merge: two documents sharing k tokens
 * have a cosine of at most √(A·B), A and B the shares of their squared weight their k heaviest tokens
 * hold. k is bounded without the merge by two 64-bit fingerprints of their tokens (a shared token
 * sets the same bit in both; unshared ones may collide, which only loosens the bound).
 */
function packedCosine(reps: string[][], idf: Map<string, number>, lists: number[][], threshold: number): { mayReach: (a: number, b: number) => boolean; cosine: (a: number, b: number) => number } {
  // Tokens are numbered in their sorted order, so a pair's sum is added up in the same order whatever
  // order the documents came in (floating-point sums depend on it).
  const ids = new Map([...idf.keys()].sort().map((t, i) => [t, i]));
  const at = new Int32Array(reps.length).fill(-1);
  const len = new Int32Array(reps.length);
  const norms = new Float64Array(reps.length);
  const low = new Int32Array(reps.length);
  const high = new Int32Array(reps.length);
  const toks: number[] = [];
  const weights: number[] = [];
  /** At a document's offset + k - 1: the share of its squared weight its k heaviest tokens hold. */
  const heaviest: number[] = [];
  for (const list of lists)
    for (const i of list) {
      if (at[i]! >= 0) continue;
      const entries = [...vectorOf(reps[i]!, idf)].map(([tok, w]) => [ids.get(tok)!, w] as const).sort((x, y) => x[0] - y[0]);
      at[i] = toks.length;
      len[i] = entries.length;
      const squares = entries.map((e) => e[1] * e[1]);
      const total = squares.reduce((n, x) => n + x, 0);
      norms[i] = Math.sqrt(total);
      for (const [t, w] of entries) {
        toks.push(t), weights.push(w);
        if ((t & 63) < 32) low[i] |= 1 << (t & 31);
        else high[i] |= 1 << (t & 31);
      }
      let held = 0;
      for (const x of squares.sort((p, q) => q - p)) heaviest.push(total ? (held += x) / total : 0);
    }
  const t = Int32Array.from(toks);
  const w = Float64Array.from(weights);
  const share = Float64Array.from(heaviest);
  // A hair below the threshold: the bound and the cosine are rounded apart.
  const reach = threshold * threshold - 1e-9;
  return {
    // An empty document has no tokens (k = 0): it reaches nothing.
    mayReach: (a, b) => {
      const k = Math.min(bits(low[a]! & low[b]!) + bits(high[a]! & high[b]!), len[a]!, len[b]!);
      return k > 0 && share[at[a]! + k - 1]! * share[at[b]! + k - 1]! >= reach;
    },
    cosine: (a, b) => cosineAt(a, b),
  };
  function cosineAt(a: number, b: number): number {
    const na = norms[a]!, nb = norms[b]!;
    if (!na || !nb) return 0;
    const la = len[a]!, lb = len[b]!;
    let dot = 0;
    for (let i = at[a]!, ei = i + la, j = at[b]!, ej = j + lb; i < ei && j < ej; ) {
      const x = t[i]!, y = t[j]!;
      if (x === y) dot += w[i++]! * w[j++]!;
      else if (x < y) i++;
      else j++;
    }
    return dot / (na * nb);
  }
}

/** How many bits of a 32-bit number are set. */
function bits(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

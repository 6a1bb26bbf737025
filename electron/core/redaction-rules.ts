// The maintained half of redaction: secretlint's recommended preset (@secretlint/secretlint-rule-preset-recommend),
// the provider token formats a community keeps up to date (Slack webhooks, npm_, hf_, Vercel, Tailscale, …).
// Its rules are driven directly through secretlint's rule API (create(context) → file(source) → context.report
// with a range), synchronously and without @secretlint/core's per-call promise and config machinery: import
// calls redaction for every string of every event, and this keeps it a few regex scans per string.
import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintRuleContext, SecretLintRuleCreator, SecretLintRuleReportHandler, SecretLintSourceCode } from '@secretlint/types';

export interface KeptHit { start: number; end: number; type: string }

/**
 * Placeholder names the hand-written rules used before the kept set existed, for the same provider: a secret
 * keeps the same «redacted:…» type whichever rule found it, so error signatures and saved lessons still match.
 */
const TYPE_ALIASES: Record<string, string> = {
  AWSAccessKeyID: 'aws-access-key',
  AWSSecretAccessKey: 'aws-secret',
  AWSAccountID: 'aws-account-id',
  OPENAI_TOKEN: 'openai-key',
  ANTHROPIC_API_KEY: 'anthropic-key',
  PrivateKey: 'private-key',
  STRIPE_SECRET_KEY_LIVE: 'stripe-key',
  STRIPE_SECRET_KEY_TEST: 'stripe-key',
  STRIPE_RESTRICTED_KEY_LIVE: 'stripe-key',
  STRIPE_RESTRICTED_KEY_TEST: 'stripe-key',
  MongoDBConnection: 'connection-string-password',
  MySQLConnection: 'connection-string-password',
  PostgreSQLConnection: 'connection-string-password',
};

/**
 * Messages of the set that can never fire on a transcript's text: they need the real file on disk (a binary
 * .p12), or a whole file of one kind (a GCP service-account .json, package.json, .npmrc). The hand-written
 * rules cover what they look for when it shows up in a log: a PEM private key, an `_authToken=` line, URL credentials.
 */
export const FILE_ONLY_MESSAGES = new Set(['PrivateKeyP12', 'PrivateKeyJSON', 'PackageJSON_xOauthToken', 'Npmrc_authToken']);

/**
 * Messages the preset leaves off by default (aws's `enableIDScanRule`: an access key id or account id is an
 * identifier, not a credential). The hand-written aws-access-key rule still replaces key ids.
 */
export const OFF_BY_DEFAULT_MESSAGES = new Set(['AWSAccessKeyID', 'AWSAccountID']);

/** secretlint's own comment directive (`secretlint-disable`): a log must not be able to switch redaction off. */
const SKIPPED_RULES = new Set(['@secretlint/secretlint-rule-filter-comments']);

const kebab = (s: string) =>
  s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();

/** «redacted:TYPE» for a message of a rule: the alias, else the message id in kebab case, prefixed with the provider when it lacks it. */
export function placeholderType(ruleId: string, messageId: string): string {
  const alias = TYPE_ALIASES[messageId];
  if (alias) return alias;
  const provider = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  const type = kebab(messageId);
  return type.replace(/-/g, '').startsWith(provider.replace(/-/g, '')) ? type : `${provider}-${type}`;
}

interface Driven { id: string; handler: SecretLintRuleReportHandler }

/** Hits of the string being scanned; the context's report() appends to it (rules run one at a time, synchronously). */
let current: KeptHit[] = [];
let currentRule = '';

function drive(rule: SecretLintRuleCreator<unknown>): Driven {
  const context: SecretLintRuleContext = {
    sharedOptions: {},
    createTranslator: (messages) => (messageId, data) => ({ messageId: String(messageId), message: messages[messageId as string].en(data), data }),
    report: ({ message, range }) => current.push({ start: range[0], end: range[1], type: placeholderType(currentRule, message.messageId) }),
    // Only filter rules ignore, and none is driven (SKIPPED_RULES).
    ignore: () => undefined,
  };
  return { id: rule.meta.id, handler: rule.create(context, {}) };
}

export const KEPT_RULES: readonly SecretLintRuleCreator<unknown>[] = (presetRules as SecretLintRuleCreator<unknown>[]).filter(
  (r) => r.meta.type === 'scanner' && !SKIPPED_RULES.has(r.meta.id),
);
const DRIVEN = KEPT_RULES.map(drive);

/**
 * A transcript string as secretlint sees an anonymous text (no file path, no extension). The preset's rules
 * read only these fields; the location helpers are answered from the content for completeness.
 */
function sourceOf(content: string): SecretLintSourceCode {
  const indexToPosition = (index: number) => {
    const before = content.slice(0, index);
    const line = before.split('\n').length;
    return { line, column: index - (before.lastIndexOf('\n') + 1) };
  };
  const positionToIndex = (pos: { line: number; column: number }) => {
    let index = 0;
    for (let l = 1; l < pos.line; l++) index = content.indexOf('\n', index) + 1;
    return index + pos.column;
  };
  return {
    hasBOM: false,
    content,
    filePath: undefined,
    physicalFilePath: undefined,
    contentType: 'text',
    ext: '',
    getFilePath: () => undefined,
    getPhysicalFilePath: () => undefined,
    indexToPosition,
    positionToIndex,
    rangeToLocation: (range) => ({ start: indexToPosition(range[0]), end: indexToPosition(range[1]) }),
    locationToRange: (loc) => [positionToIndex(loc.start), positionToIndex(loc.end)],
  };
}

/**
 * A fragment every message of the kept set needs (its provider prefix or key word): text without one skips the
 * set's ~40 scans. Most tool output that reaches redaction at all does so for a word like "token" or "key",
 * which only the hand-written rules care about. Kept in step by the planted-secret test (one secret per message).
 */
const KEPT_MAY_MATCH = /-----BEGIN|[Ss]ecret_?[Aa]ccess|SECRET_?ACCESS|npm_|:\/\/[-\w]+:|xox[bparo]-|xapp-|[Hh][Oo][Oo][Kk][Ss]\.[Ss][Ll][Aa][Cc][Kk]|SG\.|shp(?:pa|ca|at|ss)_|[sr]k_(?:live|test)_|gh[pousr]_|github_pat_|glpat-|gl(?:c|sa)_|sk-|gsk_|hf_|lin_api_|ntn_|ops_ey|[Mm][Oo][Nn][Gg][Oo][Dd][Bb]|[Mm][Yy][Ss][Qq][Ll]|[Pp][Oo][Ss][Tt][Gg][Rr][Ee][Ss]|hv[sbr]\.|vc[piark]_|dapi|dckr_pat_|figd_|cf(?:k|ut|at)_|tskey-/;

/** Every secret the kept rule set finds in `text`, in order, overlapping hits merged (the first one's type wins). */
export function keptHits(text: string): KeptHit[] {
  if (!KEPT_MAY_MATCH.test(text)) return [];
  current = [];
  const source = sourceOf(text);
  for (const d of DRIVEN) {
    currentRule = d.id;
    // Every text rule of the preset is synchronous; the one async handler (GCP .p12) needs a file path and returns at once without one.
    void d.handler.file?.(source);
  }
  const hits = current.filter((h) => h.end > h.start && !text.slice(h.start, h.end).includes('«redacted:')).sort((a, b) => a.start - b.start || b.end - a.end);
  current = [];
  const merged: KeptHit[] = [];
  for (const h of hits) {
    const last = merged[merged.length - 1];
    if (last && h.start < last.end) last.end = Math.max(last.end, h.end);
    else merged.push({ ...h });
  }
  return merged;
}

/** `text` with each hit replaced by its typed placeholder. */
export function replaceHits(text: string, hits: readonly KeptHit[]): string {
  if (hits.length === 0) return text;
  let out = '';
  let at = 0;
  for (const h of hits) {
    out += text.slice(at, h.start) + `«redacted:${h.type}»`;
    at = h.end;
  }
  return out + text.slice(at);
}

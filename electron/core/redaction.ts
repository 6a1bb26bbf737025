// Redaction runs at import, before anything is stored or could be sent to a model.
// Each rule replaces a secret with a typed placeholder such as «redacted:github-token», so the
// text stays readable ("auth failed with «redacted:openai-key»") and error signatures still match.
// Two layers, in this order:
//  1. the kept rule set (redaction-rules.ts): secretlint's recommended preset, the source of truth for
//     provider token formats (Slack webhooks, npm_, hf_, Vercel, Tailscale, …), updated with the package;
//  2. the rules below, for what a rule set for source files does not look for in a transcript: secrets
//     assigned in .env lines, YAML, JSON, config keys and command lines, bearer/basic headers, JWTs, and
//     looser shapes of a few providers (short or older key formats) the kept set leaves out.
// The generic ones (.env lines, quoted "password": values, URL credentials) only fire on an assignment of a
// literal, so ordinary code (`token = getToken()`, hashes, uuids) is left alone — see test/unit/importers/redaction.test.ts.
import { keptHits, replaceHits } from './redaction-rules';

export interface Rule {
  type: string;
  pattern: RegExp;
  /** Replace only this capture group (keeps the key name of `KEY=value`). */
  group?: number;
  /**
   * A cheap necessary condition (the key word and its `=` or `:`): text without it cannot match the
   * pattern, whose word-boundary and repeated-prefix scans cost several times more. Only for the slow ones.
   */
  need?: RegExp;
  /** The pattern also needs a secret's key word given a value (KEY_ASSIGNED), tested once for all such rules. */
  keyed?: boolean;
}

/**
 * A key word that names a secret (password, pwd, secret, token, …key) followed by `=` or `:`: what the
 * rules marked `keyed` all need. Most text that reaches the rules lacks it, and one test of it spares
 * each of their own `need` tests.
 */
export const KEY_ASSIGNED = /(?:pass(?:word|wd)?|pwd|secret|token|key)["']?\s*[:=]/i;

/** Values that name a secret rather than contain one: references, templates, placeholders. */
const NOT_A_LITERAL = /^(?:\$|process\.env|os\.environ|env\.|getenv|<|\{\{|%|\*+$|x{4,}|your[_-]|changeme$|example|null$|undefined$|true$|false$|none$|string$|number$|boolean$|str$|int$|bytes$)/i;

/**
 * Values that are code, not a literal: a call (getToken()), an indexed or dotted reference
 * (config.secret, form['password']), a type annotation. Checked for the rules that match lower-case
 * keys in arbitrary text, where most hits would otherwise be source code.
 */
const NOT_CODE = /[()[\]{}<>]|[;,]$|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+;?$|^(?:await|new|function|lambda|self|this)\b/;
const CODE_SENSITIVE = new Set(['config-secret', 'yaml-secret', 'cli-password', 'connection-string-password']);

export const RULES: Rule[] = [
  // npm's `.npmrc` line (the kept set looks for it only in a file named .npmrc).
  { type: 'npm-access-token', pattern: /(_authToken\s*=\s*)([^\s$'"][^\s'"]{5,})/g, group: 2 },
  { type: 'private-key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g },
  { type: 'anthropic-key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { type: 'openai-key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { type: 'aws-access-key', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  { type: 'aws-secret', pattern: /(aws_secret_access_key\s*[=:]\s*["']?)([A-Za-z0-9/+=]{40})/gi, group: 2 },
  { type: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/g },
  { type: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { type: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { type: 'stripe-key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { type: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { type: 'bearer-token', pattern: /(\b[Bb]earer\s+)([A-Za-z0-9._~+/=-]{16,})/g, group: 2 },
  { type: 'url-password', pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi, group: 2, need: /:\/\// },
  // ADO/JDBC-style connection strings: "Server=db;User Id=app;Password=…;"
  { type: 'connection-string-password', pattern: /((?:^|;)\s*(?:password|pwd)\s*=\s*)([^;'"\s]{3,})/gim, group: 2, keyed: true, need: /(?:password|pwd)\s*=/i },
  // Azure storage / Service Bus / Event Hubs connection strings: "…;AccountKey=base64==;…", "SharedAccessKey=…".
  { type: 'azure-key', pattern: /((?:^|[;"'\s])(?:AccountKey|SharedAccessKey|SharedAccessSignature)\s*=\s*)([^;'"\s]{8,})/g, group: 2 },
  // HTTP headers that carry a credential by themselves: "x-api-key: …", "Authorization: Basic base64".
  { type: 'api-key-header', pattern: /(\b(?:x-api-key|api-key|x-auth-token|x-access-token)["']?\s*[:=]\s*["']?)([A-Za-z0-9._~+/=-]{8,})/gi, group: 2 },
  { type: 'basic-auth', pattern: /(\bAuthorization["']?\s*[:=]\s*["']?Basic\s+)([A-Za-z0-9+/]{6,}={0,2})/gi, group: 2, need: /authorization/i },
  // Command lines: "mysql -uroot -pS3cret", "--password=S3cret", "--password S3cret".
  { type: 'cli-password', pattern: /(\bmysql(?:dump|admin|sh)?\b[^\n|;&]*?\s-p)([^\s'"-][^\s'"]{2,})/g, group: 2 },
  { type: 'cli-password', pattern: /(\s--(?:password|passwd|db-password|token|api-key|secret)(?:=|\s+)["']?)([^\s'"-][^\s'"]{2,})/g, group: 2 },
  // Lower-case config keys ending in a secret word, assigned a literal: db_password=…, smtp_pass = …
  // The secret word must be the last segment (password_reset_url is a URL setting, not a password);
  // code (token = getToken(), secret = config.secret) is excluded by NOT_CODE below.
  { type: 'config-secret', pattern: /(\b(?:[a-z0-9]+_)*(?:password|passwd|pass|pwd|secret|token|api_?key|private_key|access_key)[ \t]*=[ \t]*)([^\s"'`;,]{6,})/g, group: 2, keyed: true, need: /(?:pass(?:word|wd)?|pwd|secret|token|api_?key|private_key|access_key)[ \t]*=/ },
  // YAML: "password: Sup3rSecret!" at the start of a line (a TypeScript "password: string;" is a type, left alone).
  { type: 'yaml-secret', pattern: /(^[ \t-]*(?:[a-z0-9]+_)*(?:password|passwd|pass|pwd|secret|token|api_?key|private_key|access_key|client_secret)[ \t]*:[ \t]+)([^\s"'#`][^\s"'`]{5,})[ \t]*$/gim, group: 2, keyed: true, need: /(?:pass(?:word|wd)?|pwd|secret|token|api_?key|private_key|access_key)[ \t]*:[ \t]/i },
  {
    type: 'env-secret',
    // PASS / PWD only as a whole segment (DB_PASS, SMTP_PASS, MYSQL_PWD), never inside PASSPORT or BYPASS.
    pattern: /(\b(?!AUTHOR)(?:[A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY|AUTH_KEY|CREDENTIALS?)[A-Z0-9_]*|(?:[A-Z0-9]+_)*(?:PASS|PWD)(?:_[A-Z0-9]+)*)\s*[=:]\s*["']?)([^\s"'`]{6,})/g,
    group: 2,
    need: /SECRET|PASS|PWD|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY|AUTH_KEY|CREDENTIAL/,
  },
  // JSON/YAML/code with a quoted literal: "password": "hunter22", api_key = 'abc…'
  {
    type: 'quoted-secret',
    // A quoted password may hold spaces ("Pa55 word!"); a quoted token/key never does.
    pattern: /(["']?\b(?:password|passwd|pass|pwd|secret|client_secret|token|api[_-]?key|access[_-]?token|auth[_-]?token|refresh[_-]?token|private[_-]?key)["']?\s*[:=]\s*["'])([^"'\n]{6,}?|[^"'\s]{4,})(["'])/gi,
    group: 2,
    keyed: true,
    need: /(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|private[_-]?key)["']?\s*[:=]\s*["']/i,
  },
];

const ALREADY = /^«redacted:[a-z0-9-]+»$/;

/**
 * One cheap pass first: every rule above and of the kept set needs one of these fragments, so text without
 * any of them (most of a transcript; "passed" test output included) skips the rule scans. Keep it in step when
 * a rule is added: the planted-secret test plants one secret per message of the kept set and fails otherwise.
 * Case is spelled out per letter rather than with /i, which makes V8 scan noticeably slower here.
 * The fragments are grouped by their first character (a trie's first level): V8 tries an alternation's
 * branches one by one at every position, and ~25 first characters instead of ~60 fragments made this
 * scan, which every string of every event goes through, about 1.7× faster. MAY_HOLD_SECRET_FLAT is the
 * same set as a flat list (the unit test checks both agree).
 */
export const MAY_HOLD_SECRET_FLAT = /-----BEGIN|sk-|A[KS]IA|ABIA|ACCA|A3T|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|gh[pousr]_|github_pat_|AIza|xox|xapp|hooks\.slack|npm_|_authToken|hf_|SG\.|shp[acps]|_live_|_test_|glpat-|glc_|glsa_|gsk_|lin_api_|ntn_|ops_ey|[Mm]ongo[Dd][Bb]|[Pp]ostgres|hv[sbr]\.|vc[piark]_|dapi|dckr_pat_|figd_|cf[ak]t?_|cfut_|tskey-|eyJ|[Bb][Ee][Aa][Rr][Ee][Rr]|:\/\/[^\s:/@]+:|[Pp][Aa][Ss][Ss](?![Ee][Dd]|[Ii][Nn][Gg]|[Ee][Ss]\b)|[Pp][Ww][Dd]|AccountKey|SharedAccess|[Bb]asic |mysql|[Aa][Uu][Tt][Hh]-[Tt]oken|[Aa]ccess-[Tt]oken|[Ss][Ee][Cc][Rr][Ee][Tt]|[Tt][Oo][Kk][Ee][Nn]|[Aa][Pp][Ii][_-]?[Kk][Ee][Yy]|_KEY|_key|[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll]|[Aa][Ww][Ss]_[Ss][Ee][Cc][Rr][Ee][Tt]/;
const SECRET_WORD = '[Ee][Cc][Rr][Ee][Tt]';
const AUTH_TOKEN = '[Uu][Tt][Hh]-[Tt]oken|ccess-[Tt]oken|[Pp][Ii][_-]?[Kk][Ee][Yy]|[Ww][Ss]_[Ss][Ee][Cc][Rr][Ee][Tt]';
export const MAY_HOLD_SECRET = new RegExp(
  [
    '-----BEGIN',
    `s(?:k-|hp[acps]|${SECRET_WORD})`,
    `S(?:G\\.|haredAccess|${SECRET_WORD})`,
    `A(?:[KS]IA|BIA|CCA|3T|GPA|IDA|ROA|IPA|NPA|NVA|Iza|ccountKey|${AUTH_TOKEN})`,
    `a(?:${AUTH_TOKEN})`,
    'g(?:h[pousr]_|ithub_pat_|lpat-|lc_|lsa_|sk_)',
    'x(?:ox|app)',
    'h(?:ooks\\.slack|f_|v[sbr]\\.)',
    'n(?:pm_|tn_)',
    '_(?:authToken|live_|test_|KEY|key)',
    'lin_api_',
    'ops_ey',
    'm(?:ongo[Dd][Bb]|ysql)',
    'Mongo[Dd][Bb]',
    '[Pp](?:ostgres|[Aa][Ss][Ss](?![Ee][Dd]|[Ii][Nn][Gg]|[Ee][Ss]\\b)|[Ww][Dd])',
    'vc[piark]_',
    'd(?:api|ckr_pat_)',
    'figd_',
    'c(?:f[ak]t?_|fut_|[Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll])',
    'C[Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll]',
    't(?:skey-|[Oo][Kk][Ee][Nn])',
    'T[Oo][Kk][Ee][Nn]',
    'eyJ',
    '[Bb](?:[Ee][Aa][Rr][Ee][Rr]|asic )',
    ':\\/\\/[^\\s:/@]+:',
  ].join('|'),
);

export function redact(text: string): string {
  if (!text || !MAY_HOLD_SECRET.test(text)) return text;
  let out = replaceHits(text, keptHits(text));
  let keyedFor: string | null = null;
  let keyed = false;
  for (const rule of RULES) {
    if (rule.keyed) {
      // Tested again only when an earlier rule changed the text.
      if (keyedFor !== out) (keyedFor = out), (keyed = KEY_ASSIGNED.test(out));
      if (!keyed) continue;
    }
    if (rule.need && !rule.need.test(out)) continue;
    out = out.replace(rule.pattern, (...m: unknown[]) => {
      const placeholder = `«redacted:${rule.type}»`;
      if (rule.group === undefined) return placeholder;
      const groups = m.slice(1, -2) as (string | undefined)[];
      const secret = groups[rule.group - 1] ?? '';
      if (ALREADY.test(secret) || secret.includes('«redacted:') || NOT_A_LITERAL.test(secret)) return m[0] as string;
      if (CODE_SENSITIVE.has(rule.type) && NOT_CODE.test(secret)) return m[0] as string;
      return groups.map((g, i) => (i === rule.group! - 1 ? placeholder : (g ?? ''))).join('');
    });
  }
  return out;
}

// Redaction runs at import, before anything is stored or could be sent to a model.
// Each rule replaces a secret with a typed placeholder such as «redacted:github-token», so the
// text stays readable ("auth failed with «redacted:openai-key»") and error signatures still match.
export interface Rule { type: string; pattern: RegExp; /** Replace only this capture group (keeps the key name of `KEY=value`). */ group?: number }

export const RULES: Rule[] = [
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
  { type: 'bearer-token', pattern: /(\bBearer\s+)([A-Za-z0-9._~+/=-]{16,})/g, group: 2 },
  { type: 'url-password', pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi, group: 2 },
  {
    type: 'env-secret',
    pattern: /(\b[A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY|AUTH)[A-Z0-9_]*\s*[=:]\s*["']?)([^\s"'`]{6,})/g,
    group: 2,
  },
];

const ALREADY = /^«redacted:[a-z-]+»$/;

export function redact(text: string): string {
  if (!text) return text;
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.pattern, (...m: unknown[]) => {
      const placeholder = `«redacted:${rule.type}»`;
      if (rule.group === undefined) return placeholder;
      const groups = m.slice(1, -2) as (string | undefined)[];
      if (ALREADY.test(groups[rule.group - 1] ?? '')) return m[0] as string;
      return groups.map((g, i) => (i === rule.group! - 1 ? placeholder : (g ?? ''))).join('');
    });
  }
  return out;
}

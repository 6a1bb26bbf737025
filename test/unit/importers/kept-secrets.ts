// One planted secret for every message of secretlint's recommended preset that can fire on a transcript's text,
// built at run time from a seeded generator, so this file holds no scannable secret itself.
// The keys are the preset's message ids; redaction.test.ts fails when the preset gains a message without one here.

/** Deterministic characters from an alphabet (a small LCG): the same planted values on every run. */
function chars(seed: number, n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string {
  let x = seed >>> 0;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    // The high bits: an LCG's low bits repeat with a short period.
    out += alphabet[(x >>> 16) % alphabet.length];
  }
  return out;
}
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const hex = '0123456789abcdef';
/** 1Password service-account tokens are base64 JSON ending in `fQ==` (a lone closing brace): pad the JSON to get it. */
const opsToken = (json: string) => Buffer.from(json.padEnd(json.length + ((1 - (json.length % 3) + 3) % 3) - 1, ' ') + '}').toString('base64');
const p = (...parts: string[]) => parts.join('');

/** message id → a line of tool output holding one secret; `secret` is what must not survive. */
export const KEPT_PLANTED: Record<string, { line: string; secret: string }> = {};
function plant(messageId: string, secret: string, line = (s: string) => `value: ${s}`) {
  KEPT_PLANTED[messageId] = { secret, line: line(secret) };
}

plant('AWSAccessKeyID', p('AKIA', chars(1, 16, upper)));
plant('AWSSecretAccessKey', chars(2, 40), (s) => `AWS_SECRET_ACCESS_KEY="${s}"`);
plant('NPM_ACCESS_TOKEN', p('npm_', chars(3, 36)), (s) => `//registry.npmjs.org/ token ${s}`);
plant('PrivateKey', p('MII', chars(4, 200, letters)), (s) => `-----BEGIN RSA PRIVATE KEY-----\n${s}\n-----END RSA PRIVATE KEY-----`);
plant('BasicAuth', p('Kq7', chars(5, 10)), (s) => `git clone https://deployer:${s}@git.internal.dev/shop.git`);
plant('SLACK_TOKEN', p('xapp', '-1-', chars(6, 12), '-', chars(7, 20)));
plant('IncomingWebhook', p('https://hooks.slack.com/services/', 'T', chars(8, 9, upper), '/B', chars(9, 9, upper), '/', chars(10, 24)), (s) => `curl -X POST ${s} -d @msg.json`);
plant('SENDGRID_KEY', p('SG.', chars(11, 22), '.', chars(12, 43)));
plant('SHOPIFY_KEY', p('shpat_', chars(13, 32, hex)));
plant('STRIPE_SECRET_KEY_LIVE', p('sk_', 'live_', chars(14, 24)));
plant('STRIPE_SECRET_KEY_TEST', p('sk_', 'test_', chars(15, 24)));
plant('STRIPE_RESTRICTED_KEY_LIVE', p('rk_', 'live_', chars(16, 24)));
plant('STRIPE_RESTRICTED_KEY_TEST', p('rk_', 'test_', chars(17, 24)));
plant('GITHUB_TOKEN', p('gho_', chars(18, 36)));
plant('GITLAB_PERSONAL_ACCESS_TOKEN', p('glpat-', chars(19, 20)));
plant('GRAFANA_CLOUD_API_TOKEN', p('glc_', chars(20, 40)));
plant('GRAFANA_SERVICE_ACCOUNT_TOKEN', p('glsa_', chars(21, 32), '_', chars(22, 8, hex)));
plant('OPENAI_TOKEN', p('sk-', 'proj-', chars(23, 74), 'T3BlbkFJ', chars(24, 74)));
plant('ANTHROPIC_API_KEY', p('sk-', 'ant-api03-', chars(25, 93), 'AA'));
plant('GROQ_API_KEY', p('gsk_', chars(26, 52)));
plant('HUGGINGFACE_USER_ACCESS_TOKEN', p('hf_', chars(27, 34, letters)));
plant('LINEAR_API_TOKEN', p('lin_api_', chars(28, 40)));
plant('NOTION_INTEGRATION_TOKEN', p('ntn_', chars(29, 11, '0123456789'), chars(30, 35)));
plant('OPS_TOKEN', p('ops_', opsToken(JSON.stringify({ email: 'svc@1passwordserviceaccounts.lcl', secretKey: chars(31, 40), srpX: chars(32, 64, hex), signInAddress: 'team.1password.com' }).slice(0, -1))), (s) => `OP_SERVICE_ACCOUNT ${s}`);
plant('MongoDBConnection', p('mongodb+srv://', 'shopapp:', chars(33, 14), '@cluster0.mongodb.net/shop'));
plant('MySQLConnection', p('mysql://', 'shopapp:', chars(34, 14), '@db.internal:3306/shop'));
plant('PostgreSQLConnection', p('postgresql://', 'shopapp:', chars(35, 14), '@db.internal:5432/shop'));
plant('HASHICORP_VAULT_SERVICE_TOKEN', p('hvs.', chars(36, 95)));
plant('HASHICORP_VAULT_BATCH_TOKEN', p('hvb.', chars(37, 140)));
plant('HASHICORP_VAULT_RECOVERY_TOKEN', p('hvr.', chars(38, 95)));
plant('VERCEL_PERSONAL_ACCESS_TOKEN', p('vcp_', chars(39, 40)));
plant('VERCEL_INTEGRATION_TOKEN', p('vci_', chars(40, 40)));
plant('VERCEL_APP_ACCESS_TOKEN', p('vca_', chars(41, 40)));
plant('VERCEL_APP_REFRESH_TOKEN', p('vcr_', chars(42, 40)));
plant('VERCEL_AI_GATEWAY_API_KEY', p('vck_', chars(43, 40)));
plant('DATABRICKS_PERSONAL_ACCESS_TOKEN', p('dapi', chars(44, 32, hex)));
plant('DOCKER_PERSONAL_ACCESS_TOKEN', p('dckr_pat_', chars(45, 27)));
plant('FIGMA_PERSONAL_ACCESS_TOKEN', p('figd_', chars(46, 43)));
plant('CLOUDFLARE_GLOBAL_API_KEY', p('cfk_', chars(47, 40), chars(48, 8, hex)));
plant('CLOUDFLARE_USER_API_TOKEN', p('cfut_', chars(49, 40), chars(50, 8, hex)));
plant('CLOUDFLARE_ACCOUNT_API_TOKEN', p('cfat_', chars(51, 40), chars(52, 8, hex)));
plant('TAILSCALE_API_KEY', p('tskey-', 'api-', chars(53, 12), '-', chars(54, 30)));
plant('TAILSCALE_AUTH_KEY', p('tskey-', 'auth-', chars(55, 12), '-', chars(56, 30)));
plant('TAILSCALE_CLIENT_KEY', p('tskey-', 'client-', chars(57, 12), '-', chars(58, 30)));
plant('TAILSCALE_SCIM_KEY', p('tskey-', 'scim-', chars(59, 12), '-', chars(60, 30)));
plant('TAILSCALE_WEBHOOK_KEY', p('tskey-', 'webhook-', chars(61, 12), '-', chars(62, 30)));
plant('TAILSCALE_KEY', p('tskey-', 'other-', chars(63, 12), '-', chars(64, 30)));

// Secrets planted in real tool outputs must not survive import anywhere in the store; ordinary code,
// hashes and ids must survive unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY_ASSIGNED, MAY_HOLD_SECRET, MAY_HOLD_SECRET_FLAT, RULES, redact } from '../../../electron/core/redaction';
import { FILE_ONLY_MESSAGES, KEPT_RULES, OFF_BY_DEFAULT_MESSAGES, placeholderType } from '../../../electron/core/redaction-rules';
import { KEPT_PLANTED } from './kept-secrets';
import { importPaths } from '../../../electron/core/importers';
import { clip } from '../../../electron/core/importers/text';
import { Store } from '../../../electron/core/store/store';
import { tempDir } from '../../helpers/env';

// Built from parts so this file itself holds no scannable secret.
const j = (...p: string[]) => p.join('');
export const PLANTED: Record<string, string> = {
  'anthropic-key': j('sk-ant-', 'api03-', 'Zx9Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz'),
  'openai-key': j('sk-', 'proj-', 'Ab3De5Fg7Hi9Jk1Lm3No5Pq7Rs9Tu1Vw'),
  'aws-access-key': j('AKIA', 'Z7X3C5V7B9N1M3Q5'),
  'aws-secret': j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYzEXAMPLEKEY12'),
  'github-token': j('ghp_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'),
  'google-api-key': j('AIza', 'SyD3x4mPl3K3y_n0tR3al-0123456789abc'),
  'slack-token': j('xoxb-', '2741830-4471928-Zq8RtY5uW3eX'),
  'stripe-key': j('sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc'),
  jwt: j('eyJhbGciOiJIUzI1NiJ9', '.eyJzdWIiOiIxMjM0NTY3ODkwIn0', '.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'),
  'bearer-token': j('Zm9vYmFyYmF6', 'cXV4cXV1eGNvcmdl'),
  'private-key-body': j('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', 'VJTUt9Us8cKj'),
  'env-secret': j('s3cr3t-', 'DB-pa55word'),
  'url-password': j('hunter2', '-prod-pw'),
  'connection-string-password': j('C0nn', 'Str1ngPw'),
  'quoted-secret': j('qu0ted', 'S3cretValue'),
  // The shapes a review found surviving import, one distinct value each so a grep finds any leftover.
  'db-pass': j('Db9Pa55', 'Leftover1'),
  'smtp-pass': j('Smtp7Pa55', 'Leftover2'),
  'mysql-pwd': j('MyPwd3', 'Leftover3'),
  'db-password-lower': j('dbPw4', 'Leftover4'),
  'yaml-password': j('Sup3rSecret', '!Yaml5'),
  'azure-account-key': j('AzAcctKey6', 'Lw0Pq9Rt8Ys7Ux6Vz5Wa4==') ,
  'azure-sas-key': j('AzSasKey7', 'Mb3Nc2Od1Pe0Qf9=') ,
  'x-api-key': j('XApiKey8', 'Hd5Ie4Jf3Kg2'),
  'basic-auth': j('dXNlcjpCYXNp', 'Y0F1dGg5UGFzcw=='),
  'json-token': j('JsonTok10', 'Rn7So6Tp5'),
  'json-password-spaces': j('Pa55 w0rd ', 'with spaces 11'),
  'json-secret': j('JsonSecr12', 'Uq4Vr3Ws2'),
  'json-api-key': j('JsonApiKey13', 'Xt1Yu0Zv9'),
  'mysql-p': j('MysqlDashP14', 'Aw8Bx7'),
  'dash-dash-password': j('DashDashPw15', 'Cy6Dz5'),
  'redis-password': j('RedisPw16', 'Ez4Fa3'),
  'npmrc-token': j('NpmrcTok17', 'Gb2Hc1Id0'),
  // One per message of the kept rule set (Slack webhook, npm_, hf_ … every provider secretlint's preset knows).
  ...Object.fromEntries(Object.entries(KEPT_PLANTED).map(([id, s]) => [`kept:${id}`, s.secret])),
};

function plantedOutput(): string {
  const p = PLANTED;
  return [
    `ANTHROPIC_API_KEY=${p['anthropic-key']}`,
    `export OPENAI_KEY="${p['openai-key']}"`,
    `aws_access_key_id = ${p['aws-access-key']}`,
    `aws_secret_access_key = ${p['aws-secret']}`,
    `remote: https://github.com token ${p['github-token']}`,
    `maps key ${p['google-api-key']}`,
    `SLACK_BOT=${p['slack-token']}`,
    `stripe.api_key = ${p['stripe-key']}`,
    `cookie: session=${p.jwt}`,
    `curl -H "Authorization: Bearer ${p['bearer-token']}" https://api.example.com`,
    '-----BEGIN RSA PRIVATE KEY-----', p['private-key-body'], 'AbCdEf==', '-----END RSA PRIVATE KEY-----',
    `DB_PASSWORD=${p['env-secret']}`,
    `DATABASE_URL=postgres://app:${p['url-password']}@db.internal:5432/shop`,
    `REDIS_URL=redis://app:${p['redis-password']}@cache.internal:6379/0`,
    `//registry.npmjs.org/:_authToken=${p['npmrc-token']}`,
    `Server=db;User Id=app;Password=${p['connection-string-password']};`,
    `{"password": "${p['quoted-secret']}"}`,
    `DB_PASS=${p['db-pass']}`,
    `SMTP_PASS=${p['smtp-pass']}`,
    `export MYSQL_PWD=${p['mysql-pwd']}`,
    `db_password=${p['db-password-lower']}`,
    'database:',
    `  password: ${p['yaml-password']}`,
    `DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey=${p['azure-account-key']};EndpointSuffix=core.windows.net`,
    `Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${p['azure-sas-key']}`,
    `< x-api-key: ${p['x-api-key']}`,
    `> Authorization: Basic ${p['basic-auth']}`,
    `{"token":"${p['json-token']}","user":"dev"}`,
    `{"password": "${p['json-password-spaces']}", "secret": "${p['json-secret']}", "api_key": "${p['json-api-key']}"}`,
    `$ mysql -uroot -p${p['mysql-p']} shop < dump.sql`,
    `$ pg_dump --password=${p['dash-dash-password']} shop`,
    ...Object.values(KEPT_PLANTED).map((s) => s.line),
  ].join('\n');
}

/** A Claude Code session whose Bash output (and a user message, and a tool input) carry every secret. */
function writeSession(dir: string): string {
  const sid = 'a1b2c3d4-0000-4000-8000-00000000beef';
  const base = { sessionId: sid, cwd: '/home/dev/src/shop', version: '2.1.38', userType: 'external', isSidechain: false };
  const lines = [
    { ...base, type: 'user', uuid: 'u1', parentUuid: null, timestamp: '2026-01-01T10:00:00.000Z', message: { role: 'user', content: `deploy with ${PLANTED['github-token']}` } },
    { ...base, type: 'assistant', uuid: 'a1', parentUuid: 'u1', timestamp: '2026-01-01T10:00:01.000Z', message: { id: 'msg_1', role: 'assistant', model: 'x', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: `cat .env && echo ${PLANTED['stripe-key']}` } }] } },
    { ...base, type: 'user', uuid: 'u2', parentUuid: 'a1', timestamp: '2026-01-01T10:00:02.000Z', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: plantedOutput(), is_error: false }] }, toolUseResult: { stdout: plantedOutput(), stderr: '' } },
    { ...base, type: 'assistant', uuid: 'a2', parentUuid: 'u2', timestamp: '2026-01-01T10:00:03.000Z', message: { id: 'msg_2', role: 'assistant', model: 'x', content: [{ type: 'text', text: `Your key ${PLANTED['anthropic-key']} is set.` }] } },
  ];
  const file = path.join(dir, `${sid}.jsonl`);
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

function grepStore(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (fs.readFileSync(p).includes(needle)) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}

describe('redaction at import', () => {
  it('no planted secret survives anywhere in the store, and typed placeholders replace them', async () => {
    const src = tempDir();
    const storeDir = tempDir();
    writeSession(src);
    const store = await Store.open(storeDir);
    let doc = '';
    try {
      const r = await importPaths(store, [src]);
      expect(r.errors).toEqual([]);
      expect(r.sessions).toBe(1);
      doc = JSON.stringify(store.readSessionDoc(store.sessions[0].id));
    } finally {
      await store.close();
    }
    for (const [kind, secret] of Object.entries(PLANTED)) expect(grepStore(storeDir, secret), kind).toEqual([]);
    for (const type of ['anthropic-key', 'openai-key', 'aws-access-key', 'aws-secret', 'github-token', 'google-api-key', 'slack-token', 'slack-incoming-webhook', 'npm-access-token', 'huggingface-user-access-token', 'stripe-key', 'jwt', 'bearer-token', 'private-key', 'env-secret', 'url-password', 'connection-string-password', 'quoted-secret', 'azure-key', 'api-key-header', 'basic-auth', 'cli-password', 'config-secret', 'yaml-secret']) {
      expect(doc, type).toContain(`«redacted:${type}»`);
    }
  });

  it('every message of the kept rule set (secretlint recommended preset) has a planted secret that is replaced by its own placeholder', () => {
    const messages = KEPT_RULES.flatMap((r) => Object.keys(r.messages).map((m) => ({ rule: r.meta.id, m })));
    expect(messages.length).toBeGreaterThan(40);
    const known = new Set(messages.map((x) => x.m));
    // The exception lists name real messages of the set (they go stale loudly when the preset changes).
    for (const m of [...FILE_ONLY_MESSAGES, ...OFF_BY_DEFAULT_MESSAGES]) expect(known.has(m), m).toBe(true);
    const missing: string[] = [];
    for (const { rule, m } of messages) {
      if (FILE_ONLY_MESSAGES.has(m) || OFF_BY_DEFAULT_MESSAGES.has(m)) continue;
      const planted = KEPT_PLANTED[m];
      if (!planted) { missing.push(m); continue; }
      const out = redact(planted.line);
      expect(out, m).not.toContain(planted.secret);
      expect(out, m).toContain(`«redacted:${placeholderType(rule, m)}»`);
      // Redaction is idempotent: outbound text is redacted again before it is sent.
      expect(redact(out), m).toBe(out);
    }
    expect(missing, 'messages of the kept set without a planted secret in kept-secrets.ts').toEqual([]);
  });

  it('the three shapes a review found surviving import are caught: Slack webhook, npm_ and hf_ tokens', () => {
    for (const m of ['IncomingWebhook', 'NPM_ACCESS_TOKEN', 'HUGGINGFACE_USER_ACCESS_TOKEN']) {
      const { line, secret } = KEPT_PLANTED[m];
      expect(redact(`Tool output:\n${line}\nexit 0`), m).not.toContain(secret);
    }
  });

  it('a secret cut by the length limit leaves no fragment behind', () => {
    // clip() never ends inside a word: the half-token at the cut is dropped, not stored.
    const long = `${'word '.repeat(1598)}${PLANTED['anthropic-key']} tail`;
    expect(long.indexOf('sk-ant')).toBeLessThan(8000 - 5);
    const stored = redact(clip(long, 8000));
    expect(stored).not.toMatch(/sk-ant/);
    expect(stored.endsWith('word …')).toBe(true);
  });

  it('leaves ordinary code, hashes and ids alone', () => {
    const ordinary = [
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      'sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'session 019a93b9-f380-7600-98ff-940e6b99603c',
      'const token = getToken(req);',
      'password: string;',
      'if (!apiKey) throw new Error("API_KEY missing")',
      'API_KEY=$API_KEY',
      'OPENAI_API_KEY=process.env.OPENAI_API_KEY',
      'AUTHOR: Jonathan Smith',
      'https://example.com/path?x=1',
      'git@github.com:org/repo.git',
      'def test_password_reset(self):',
      'sk-learn is a typo for scikit-learn',
      'import { useAuth } from "./auth";',
      'TOKEN_TTL: 3600',
      'base64: aGVsbG8gd29ybGQ=',
      'const resetLink = settings.password_reset_url;',
      'password_reset_url',
      'for token in tokens: print(token)',
      'const token = await fetchToken();',
      'token=getToken()',
      'const passwordField = form.password',
      'secret = config.secret',
      "password = request.form['password']",
      'password: string',
      '  token: Token;',
      'PASSPORT_NO=AB123456',
      'bypass_cache=enabled',
      'mysql -h db -p shop',
      'git push --token=$GH_TOKEN',
      'api_key: str',
    ];
    for (const line of ordinary) expect(redact(line), line).toBe(line);
  });
});

describe('the one cheap pass before the rules', () => {
  it('matches exactly where the flat list of fragments matches (the grouped form is only faster)', () => {
    // Every fragment's spellings, each alone, inside text, cut short by one character, and around the PASS exceptions.
    const fragments = MAY_HOLD_SECRET_FLAT.source.split('|');
    const alphabet = ['a', 'A', 'e', 'E', 's', 'S', 'k', 'K', '-', '_', '.', ':', '/', ' ', 'x', 'p', 'P', 'i', 'I', 'n', 'N', 'g', 'd', 'D', 'b', 'B', 'y', 'Y', 't', 'T', 'o', 'O', 'c', 'C', 'r', 'R', 'w', 'W', 'h', 'J', 'v', 'l', 'u', 'U', 'm', 'M', '3', 'G', 'q', 'f', 'z', '@'];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const samples: string[] = ['', 'passed', 'Passing', 'PASSES ', 'passes', 'pass', 'Pwd', 'http://u:p@h', 'basic', 'Basic auth', 'eyJ', 'AKIA', 'A3T', 'SG.x', 'MongoDB', 'mONGODB'];
    for (const f of fragments) {
      // A readable spelling of the fragment: the first choice of every class, optional parts kept.
      const spelled = f.replace(/\(\?![^)]*\)\)?/g, '').replace(/\[\^[^\]]*\]\+/g, 'host').replace(/\[([^\]])[^\]]*\]\??/g, '$1').replace(/\\(.)/g, '$1').replace(/\?/g, '');
      // …and with the last choice of every class and optional parts left out (`apikey`, `cfk_`).
      const other = f.replace(/\(\?![^)]*\)\)?/g, '').replace(/\[\^[^\]]*\]\+/g, 'h').replace(/\[[^\]]*([^\]])\]\?/g, '').replace(/\[[^\]]*([^\]])\]/g, '$1').replace(/\\(.)/g, '$1').replace(/.\?/g, '');
      samples.push(spelled, other, `xx ${spelled} yy`, spelled.slice(0, -1), other.slice(1), spelled.toLowerCase(), spelled.toUpperCase(), `${spelled}ed`, `${spelled}ing`, `${spelled}es.`);
    }
    for (let i = 0; i < 20000; i++) samples.push(Array.from({ length: 2 + rand(12) }, () => alphabet[rand(alphabet.length)]).join(''));
    for (const s of samples) expect(MAY_HOLD_SECRET.test(s), JSON.stringify(s)).toBe(MAY_HOLD_SECRET_FLAT.test(s));
    // Every planted secret's line is caught by the cheap pass.
    for (const p of Object.values(KEPT_PLANTED)) expect(MAY_HOLD_SECRET.test(p.line)).toBe(true);
  });
});

describe("rules' cheap necessary conditions (need)", () => {
  it('hold wherever their rule matches: skipping a rule whose need is absent changes nothing', () => {
    const words = ['password', 'passwd', 'pass', 'pwd', 'secret', 'client_secret', 'token', 'api_key', 'apikey', 'api-key', 'access_token', 'access-token', 'auth_token', 'refresh-token', 'private_key', 'private-key', 'access_key', 'db_password', 'smtp_pass'];
    const keys = [...words, ...words.map((w) => w.toUpperCase()), ...words.map((w) => w[0].toUpperCase() + w.slice(1)), 'DB_PASS', 'MYSQL_PWD', 'AUTH_KEY', 'GITHUB_CREDENTIALS', 'X_CREDENTIAL_FILE', 'APIKEY'];
    const seps = ['=', ' = ', '\t=\t', ': ', ':\t', ':', '":"', '": "', "='", '="', ' =  "', "': '", '"=\'', ' :  '];
    const values = ['S3cretValue99', 'hunter22', 'Pa55 word here', 'abc', "'quoted9999'", '"dq9999999"'];
    const samples: string[] = [];
    for (const k of keys) for (const sep of seps) for (const v of values) {
      const line = `${k}${sep}${v}`;
      samples.push(line, `  - ${line}`, `x;${line};y`, `{"${k}${sep}${v}"}`, `export ${line}`, `conf.${line}\n`, `Server=db;${line}`);
    }
    samples.push('Authorization: Basic dXNlcjpwYXNzd29yZA==', '"authorization":"Basic dXNlcjpwYXNzd29yZA=="', 'postgres://app:S3cr3tPw@db:5432/x', 'HTTPS://u:p4ss@h', 'redis://:RedisPw16@h', plantedOutput());
    let matched = 0;
    for (const rule of RULES) {
      if (!rule.need && !rule.keyed) continue;
      for (const s of samples) {
        rule.pattern.lastIndex = 0;
        const hit = rule.pattern.test(s);
        rule.pattern.lastIndex = 0;
        if (!hit) continue;
        matched++;
        if (rule.need) expect(rule.need.test(s), `${rule.type}: ${JSON.stringify(s)}`).toBe(true);
        if (rule.keyed) expect(KEY_ASSIGNED.test(s), `${rule.type} (keyed): ${JSON.stringify(s)}`).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(1000);
  });
});

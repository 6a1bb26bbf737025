// Files that live next to session logs but hold no session: recognized so that importing a whole
// ~/.claude, ~/.codex or ~/.gemini folder reports them as skipped instead of "unknown format".
// (Prompt histories repeat what the transcripts already hold; checkpoints copy a recorded chat.)
import path from 'node:path';
import { firstChar } from './json';
import type { FormatImporter } from './types';

const KINDS: { why: string; test: (head: string, file: string) => boolean }[] = [
  // ~/.claude/history.jsonl: {display, pastedContents, timestamp, project, sessionId}
  { why: 'Claude Code prompt history (the prompts are in the session transcripts)', test: (h) => /^\{[^\n]*"display"\s*:/.test(h) && /"pastedContents"|"project"\s*:/.test(h.split('\n', 1)[0]) },
  // ~/.codex/history.jsonl: {session_id, ts, text}
  { why: 'Codex prompt history (the prompts are in the rollouts)', test: (h) => /^\{"session_id"\s*:\s*"[^"]*"\s*,\s*"ts"\s*:\s*\d+\s*,\s*"text"/.test(h) },
  // ~/.gemini/tmp/<project>/logs.json: [{sessionId, messageId, timestamp, type: "user", message}]
  { why: 'Gemini CLI prompt log (the prompts are in chats/)', test: (h) => firstChar(h) === '[' && /"messageId"\s*:\s*\d+/.test(h) && /"sessionId"/.test(h) && !/"projectHash"/.test(h) },
  // ~/.gemini/tmp/<project>/checkpoint-<tag>.json: Gemini API Content[] or {history: Content[]}
  { why: 'Gemini CLI checkpoint (a saved copy of a recorded chat)', test: (h) => /"role"\s*:\s*"model"/.test(h) && /"parts"\s*:\s*\[/.test(h) && !/"content"\s*:/.test(h) },
  // Claude Code 2.1.x: sessions-index.json, subagents/agent-<id>.meta.json, journal.jsonl
  { why: 'Claude Code session metadata (not a transcript)', test: (_h, f) => /[\\/]\.claude[\\/]|[\\/]projects[\\/]/.test(f) && /^(sessions-index\.json|agent-[^.]+\.meta\.json|journal\.jsonl)$/.test(path.basename(f)) },
];

export const sidecars: FormatImporter = {
  tool: 'generic',
  detect(head, file) {
    return KINDS.some((k) => k.test(head, file));
  },
  async *parse(file, ctx) {
    ctx.skip(KINDS.find((k) => k.test(ctx.head ?? '', file))?.why ?? 'not a session');
  },
};

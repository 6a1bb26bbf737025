// Aider chat history (.aider.chat.history.md), FORMATS.md §7: markdown whose line prefixes are the
// format. `# aider chat started at …` opens a session (one file holds many runs), `#### ` lines are
// the user's input, `> ` lines aider's own output (edits applied, commands run, errors), anything
// else is the assistant's reply, where code fences may contain lines starting with # or >.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ERROR_TEXT, EventList } from './events';
import { clip } from './text';
import type { FormatImporter, ParsedSession } from './types';
import { fileKey, isoTime } from './values';

const STARTED = /^# aider chat started at (\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2})/;
const FAILURE = /Failed to apply edit|SearchReplaceNoExactMatch|did not match|Fix any errors below|KeyboardInterrupt|\(Y\)es\/\(N\)o.*\]: n\b|(?:^|\n)(?:Error|ERROR)\b|unexpectedly failed/;

export const aider: FormatImporter = {
  tool: 'aider',
  detect(head) {
    return /^# aider chat started at /m.test(head) || (/^#### \S/m.test(head) && /^> .*\baider\b/im.test(head));
  },
  async *parse(file) {
    const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    let current: AiderSession | null = null;
    let sawHeader = false;
    let lineNo = 0;
    for await (const raw of rl) {
      lineNo++;
      const line = raw.replace(/\s+$/, '');
      const started = STARTED.exec(line);
      if (started) {
        const done = current?.finish();
        if (done) yield done;
        sawHeader = true;
        current = new AiderSession(file, lineNo, isoTime(started[1]));
        continue;
      }
      // A transcript without the header (pasted into docs): it starts at the first input or output line.
      if (!current) {
        if (sawHeader || !/^(#### |> )/.test(line)) continue;
        current = new AiderSession(file, lineNo, null);
      }
      if (/^<\/?div\b/.test(line)) continue;
      current.line(line, lineNo);
    }
    const done = current?.finish();
    if (done) yield done;
  },
};

type Block = { kind: 'user' | 'output' | 'reply'; lines: string[]; start: number };

class AiderSession {
  private readonly ev: EventList;
  private block: Block | null = null;
  private inFence = false;
  private pendingCommand: { name: string; callId: string } | null = null;
  private title: string | null = null;

  constructor(private readonly file: string, private readonly startLine: number, private readonly startedAt: string | null) {
    this.ev = new EventList(file);
  }

  line(line: string, n: number): void {
    let kind: Block['kind'];
    if (this.inFence) kind = 'reply';
    else if (line.startsWith('#### ') || line === '####') kind = 'user';
    else if (line.startsWith('>')) kind = 'output';
    else kind = 'reply';
    if (kind === 'reply' && /^\s*(```|~~~)/.test(line)) this.inFence = !this.inFence;
    if (!this.block || this.block.kind !== kind) {
      this.flush();
      this.block = { kind, lines: [], start: n };
    }
    this.block.lines.push(kind === 'user' ? line.slice(5) : kind === 'output' ? line.replace(/^> ?/, '') : line);
  }

  private flush(): void {
    const b = this.block;
    this.block = null;
    if (!b) return;
    const text = b.lines.join('\n').trim();
    if (!text) return;
    const base = { id: `L${b.start}`, line: b.start, timestamp: this.startedAt };
    if (b.kind === 'user') {
      const cmd = /^\/(\w+)\s*(.*)$/s.exec(text);
      if (cmd && ['run', 'test', 'lint', 'commit', 'git'].includes(cmd[1])) {
        this.pendingCommand = { name: cmd[1], callId: base.id };
        this.ev.add({ ...base, kind: 'tool_call', text: clip(text, 300), tool: { name: cmd[1], callId: base.id, input: cmd[2] } });
      } else {
        this.pendingCommand = null;
        if (!text.startsWith('/')) this.title ??= text;
        this.ev.add({ ...base, kind: 'user', text });
      }
    } else if (b.kind === 'output') {
      const failed = FAILURE.test(text) || ERROR_TEXT.test(text);
      if (this.pendingCommand) {
        this.ev.add({ ...base, kind: 'tool_result', text, tool: { name: this.pendingCommand.name, callId: this.pendingCommand.callId }, isError: failed });
        this.pendingCommand = null;
      } else if (/Applied edit to|Failed to apply edit|SearchReplaceNoExactMatch|Commit [0-9a-f]{7}/.test(text)) {
        this.ev.add({ ...base, kind: 'tool_result', text, tool: { name: 'edit' }, isError: failed });
      } else {
        this.ev.add({ ...base, kind: 'system', text, injected: true, ...(failed ? { isError: true } : {}), ...(/KeyboardInterrupt/.test(text) ? { interrupt: true } : {}) });
      }
    } else {
      this.pendingCommand = null;
      this.ev.add({ ...base, kind: 'assistant', text });
    }
  }

  finish(): ParsedSession | null {
    this.flush();
    const events = this.ev.done();
    // A run that failed at start-up (a bad model setting, a provider error) is a session too: it is
    // where a configuration mistake shows, again and again, with no turn typed.
    if (!events.some((e) => e.kind === 'user' || e.kind === 'assistant' || e.kind === 'tool_call' || (e.kind === 'system' && e.isError))) return null;
    return {
      id: `aider:${fileKey(this.file)}#${this.startLine}`,
      tool: 'aider',
      project: path.dirname(path.resolve(this.file)),
      title: clip(this.title ?? 'Aider session', 120),
      events,
    };
  }
}

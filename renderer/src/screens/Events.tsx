// One event of a conversation, as the evidence drawer and the session reader show it.
import type { SessionEvent } from '../../../shared/model';
import { fmtTime } from '../ui/format';

const WHO: Record<SessionEvent['kind'], string> = { user: 'You', assistant: 'Agent', thinking: 'Thinking', tool_call: 'Tool', tool_result: 'Result', system: 'System' };

/** A tool call's input as a person reads it: the command, the file, else the JSON. */
function toolInput(input: string): string {
  try {
    const v = JSON.parse(input) as Record<string, unknown>;
    for (const k of ['command', 'cmd', 'file_path', 'path', 'pattern', 'url', 'query']) if (typeof v[k] === 'string') return v[k] as string;
  } catch {
    // Not JSON: show it as it is.
  }
  return input;
}

export function EventRow({ e, here }: { e: SessionEvent; here?: boolean }) {
  const cls = ['event', e.kind, e.isError ? 'error' : '', e.injected ? 'injected' : '', here ? 'here' : ''].join(' ');
  const who = e.kind === 'tool_call' && e.tool ? e.tool.name : e.kind === 'tool_result' && e.isError ? 'Error' : WHO[e.kind];
  return (
    <div className={cls} data-event-id={e.id} aria-current={here ? 'true' : undefined} aria-label={`${who} at ${fmtTime(e.timestamp)}`}>
      <span className="who" title={fmtTime(e.timestamp)}>{who}</span>
      <div className="body">
        {e.kind === 'tool_call' && e.tool?.input ? toolInput(e.tool.input) : e.text || <span className="faint">(empty)</span>}
        {e.interrupt && <span className="flag tag amber">interrupted</span>}
        {e.rejected && <span className="flag tag amber">rejected</span>}
        {e.branch === 'abandoned' && <span className="flag tag">abandoned branch</span>}
      </div>
    </div>
  );
}

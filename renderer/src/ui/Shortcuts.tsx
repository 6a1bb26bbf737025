// The keyboard shortcuts, one "?" away (the app is meant to be driven from the keyboard).
import { Dialog } from './parts';

const MOD = /Mac/.test(navigator.platform) ? '⌘' : 'Ctrl';
const GROUPS: { title: string; keys: [string[], string][] }[] = [
  { title: 'Everywhere', keys: [[[MOD, '1…6'], 'Go to a screen'], [['↑', '↓'], 'Move in the sidebar, lists and the timeline'], [['Esc'], 'Close a drawer or dialog'], [['?'], 'This list']] },
  { title: 'Lessons', keys: [[['/'], 'Search'], [['j', 'k'], 'Next / previous lesson'], [['Enter'], 'Open its evidence'], [['e'], 'Edit'], [['p'], 'Pin or unpin'], [['Del'], 'Delete (undo in the toast)'], [[MOD, 'Enter'], 'Save an edit']] },
  { title: 'Timeline', keys: [[['Enter'], 'Read the session']] },
];

export function Shortcuts({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} footer={<button type="button" className="btn" onClick={onClose} data-autofocus>Close</button>}>
      {GROUPS.map((g) => (
        <section key={g.title} aria-label={g.title}>
          <h3 className="section-title" style={{ marginTop: 4 }}>{g.title}<span className="rule" /></h3>
          <dl className="shortcuts">
            {g.keys.map(([keys, what]) => (
              <div key={what}><dt>{keys.map((k) => <kbd key={k}>{k}</kbd>)}</dt><dd>{what}</dd></div>
            ))}
          </dl>
        </section>
      ))}
    </Dialog>
  );
}

// The `reverie` command (GUIDE.md §5). commander parses and explains usage; each command opens the
// core in-process and calls it through the same validated dispatch the UI uses.
// Exit codes: 0 success, 1 failure, 2 usage error.
import { Command, CommanderError } from 'commander';
import { ContractError } from '../../shared/contract/define';
import { registerDream } from './commands/dream';
import { registerDreamsCommands } from './commands/dreams';
import { registerFollow } from './commands/follow';
import { registerImport } from './commands/import';
import { registerLessons } from './commands/lessons';
import { registerServe } from './commands/serve';
import { registerSeed } from './commands/seed';
import { registerWriteback } from './commands/writeback';
import { registerProgress } from './commands/progress';
import { registerStatus } from './commands/status';
import { exitCodeFor, log } from './context';
import { trace } from '../core/trace';

const common = (c: Command) =>
  c.option('--store <dir>', 'store folder (default: $REVERIE_HOME or the OS app-data folder)').option('--json', 'machine-readable output on stdout');

export function buildProgram(): Command {
  const program = new Command('reverie')
    .description('Reverie: a dreaming step for your AI agents. Learns lessons across their sessions and writes them back.')
    .showHelpAfterError('(run `reverie --help` for the list of commands)')
    .exitOverride();
  program.configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  registerImport(program, common);
  registerDream(program, common);
  registerDreamsCommands(program, common);
  registerLessons(program, common);
  registerServe(program, common);
  registerSeed(program, common);
  registerWriteback(program, common);
  registerProgress(program, common);
  registerStatus(program, common);
  registerFollow(program, common);
  // exitOverride on every command, so usage errors of subcommands reach our handler too.
  const walk = (c: Command) => c.commands.forEach((s) => { s.exitOverride(); walk(s); });
  walk(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  trace('cli: start');
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    const code = exitCodeFor(err);
    const msg = err instanceof ContractError || err instanceof Error ? err.message : String(err);
    log(code === 2 ? `usage: ${msg}` : `error: ${msg}`);
    return code;
  }
}

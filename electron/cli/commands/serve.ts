import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ContractError } from '../../../shared/contract/define';
import { startBridge } from '../../bridge/server';
import { openCore } from '../../core/core';
import { cliWorkerLauncher, DEMO_DIR, PROJECT_ROOT, packageVersion } from '../../core/platform/node';
import { loadIdleProbe } from '../../core/scheduler/idle';
import { defaultStoreDir } from '../../core/store/paths';
import { log, UsageError, type GlobalOpts } from '../context';
import { ensureUiBuilt } from '../ui-build';

export const RENDERER_DIR = path.join(PROJECT_ROOT, 'out', 'renderer');

export function registerServe(program: Command, common: (c: Command) => Command): void {
  common(program.command('serve').description('browser mode: serve the app and its API on 127.0.0.1 with a random token'))
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--no-build', 'serve the UI as built (or the API only); never build it')
    .action(async (opts: GlobalOpts & { port?: string; build: boolean }) => {
      const port = opts.port === undefined ? 0 : Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${opts.port}"`);
      // From a source checkout the UI is built here when it is missing or older than its sources
      // (before the store is opened, so the store is not held while it builds).
      if (opts.build) {
        const ui = await ensureUiBuilt(PROJECT_ROOT, RENDERER_DIR, log);
        if (ui.error) log(`Could not build the UI: ${ui.error}.`);
      }
      const coreOptions = { storeDir: opts.store ?? defaultStoreDir(), host: 'browser' as const, worker: cliWorkerLauncher(), version: packageVersion(), demoDir: DEMO_DIR };
      let core: Awaited<ReturnType<typeof openCore>>;
      try {
        core = await openCore(coreOptions);
      } catch (err) {
        // Another process writes (the app, an import): still let the user look, read-only.
        if (!(err instanceof ContractError) || err.type !== 'locked') throw err;
        log(`${err.message}\nServing it read-only meanwhile: changes are refused until you restart serve.`);
        core = await openCore({ ...coreOptions, readOnly: true });
      }
      const staticDir = fs.existsSync(path.join(RENDERER_DIR, 'index.html')) ? RENDERER_DIR : null;
      const bridge = await startBridge({ dispatch: core.dispatch, events: core.events, port, staticDir });
      if (!staticDir) log(`The UI is not built${opts.build ? '' : ' (--no-build)'}; serving the API only. To build it: npm run build`);
      log(`Store: ${core.store.dir}`);
      for (const n of core.store.notices) log(`notice: ${n}`);
      // Browser mode is long-lived like the app, so the dream scheduler runs here too; without input
      // idle time, CPU load stands in for "the machine is idle".
      core.scheduler.start({ idle: loadIdleProbe(), log });
      // Followed sources flow in by themselves here too (one writer: this process holds the store).
      core.follower.start({ log });
      process.stdout.write(`Reverie is running in browser mode: ${bridge.url}\n`);
      if (opts.json) process.stdout.write(`${JSON.stringify({ url: bridge.url, port: bridge.port, token: bridge.token })}\n`);
      const stop = async () => {
        await bridge.close();
        await core.close();
        process.exit(0);
      };
      // `on`, not `once`: a listener of ours must stay while we stop, or write-file-atomic's signal-exit
      // (finding only its own) re-raises the signal and kills a background import mid-write.
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await new Promise(() => {});
    });
}

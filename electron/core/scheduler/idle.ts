// "Is the machine idle?" is a host question: Electron knows the user's input idle time
// (powerMonitor), plain Node does not. The scheduler asks an IdleProbe; hosts inject one.
import os from 'node:os';

export interface IdleProbe {
  /** true idle, false busy, null when the host cannot tell (then "when idle" never fires). */
  isIdle(): boolean | null;
}

/** The user counts as away after this long without keyboard or mouse input. */
export const IDLE_AFTER_SECONDS = 5 * 60;

/** From a host that knows input idle time (Electron's powerMonitor.getSystemIdleTime). */
export function inputIdleProbe(source: { idleSeconds(): number }, afterSeconds = IDLE_AFTER_SECONDS): IdleProbe {
  return { isIdle: () => source.idleSeconds() >= afterSeconds };
}

/**
 * Plain Node (browser mode): no input idle time, so use CPU load as the proxy. A dream is CPU work;
 * running it while the machine is busy is exactly what "when idle" means to avoid. Windows reports
 * no load average, so there the answer is "cannot tell".
 */
export function loadIdleProbe(maxLoadPerCpu = 0.3): IdleProbe {
  return {
    isIdle() {
      if (process.platform === 'win32') return null;
      return os.loadavg()[0]! / Math.max(1, os.cpus().length) < maxLoadPerCpu;
    },
  };
}

export const neverIdle: IdleProbe = { isIdle: () => null };
export const alwaysIdle: IdleProbe = { isIdle: () => true };

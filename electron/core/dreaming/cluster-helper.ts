// Clustering a dream's error groups on two threads. Mining clusters the error keys of each tool apart
// (mine.ts); at a year of logs that is six groups of ~13,000 keys and ~70 % of the mining, all of it in
// the dream's worker while the owner thread waits. In a store of HELPER_MIN_SESSIONS or more, a helper
// thread, started when the dream's input arrives (its start-up overlaps the fold), takes about half of
// the groups: the worker sends their keys (a clone of a few MB), clusters the rest itself, then takes
// the helper's answers.
//
// Mining is synchronous, and stays so: the worker waits for the answers with Atomics.wait on a shared
// counter the helper bumps after each answer, and reads them with receiveMessageOnPort. Both threads run
// the same function on the same documents (clusterTexts with plain cosine), so the groups are the ones
// one thread finds (test/integration/cluster-helper.test.ts). A helper that does not answer in time (it
// failed to start, or died) is given up on: its groups are clustered in the worker, nothing is lost.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { clusterTexts, cosine, tokens } from './similarity';
import { trace } from '../trace';

/**
 * One group of error keys to cluster (clusterTexts with plain cosine). The keys go, not their token
 * lists: each side tokenizes its own share (errorKeyDoc), and strings cost less to copy across.
 */
export interface ClusterJob { keys: string[]; threshold: number; rareTokens: number }

/**
 * An error key's document: the words of its signature (`tool|signature`). An exit code is reported by
 * some tools and not others: it names the key, not the meaning.
 */
export const errorKeyDoc = (key: string) => tokens(key.slice(key.indexOf('|') + 1).replace(/ \(exit code -?\d+\)$/, ''));

/** How a worker thread is started (a WorkerLauncher made plain: it crosses to the dream's worker in workerData). */
export interface HelperLauncher { file: string; execArgv: string[]; bundle?: boolean }

export interface ClusterHelperStart { job: 'cluster'; port: MessagePort; answered: SharedArrayBuffer }
export const isClusterHelperStart = (data: unknown): data is ClusterHelperStart => (data as ClusterHelperStart | null)?.job === 'cluster';

const clusterOne = (job: ClusterJob) => clusterTexts(job.keys.map(errorKeyDoc), job.threshold, cosine, job.rareTokens);

/** The helper's side: answers each job, then counts the answer in the shared counter (what the worker waits on). */
export function serveClusters(start: ClusterHelperStart): void {
  const answered = new Int32Array(start.answered);
  trace('cluster helper ready');
  start.port.on('message', ({ id, job }: { id: number; job: ClusterJob }) => {
    let roots: number[] | null = null;
    try {
      roots = clusterOne(job);
    } catch {
      // Answered all the same (null): the worker clusters the group itself.
    }
    start.port.postMessage({ id, roots });
    Atomics.add(answered, 0, 1);
    Atomics.notify(answered, 0);
  });
}

/** Clusters jobs one after the other in this thread: what mining does without a helper. */
export type Clusterer = (jobs: ClusterJob[]) => number[][];
export const clusterHere: Clusterer = (jobs) => jobs.map(clusterOne);

/** A store this large (sessions) has a dream's worker start the helper; below it, mining is over in well under a second. */
export const HELPER_MIN_SESSIONS = 20_000;

/** How long to wait for the helper beyond the time this thread spent on its own share (at least). */
const GRACE_MS = 5_000;

export class ClusterHelper {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly answered: Int32Array;
  private broken = false;
  private next = 0;
  /** Groups the helper clustered (tests see that it did). */
  clusteredThere = 0;

  /** `graceMs`: how long to wait for the helper beyond the time this thread spent on its own share, at least. */
  constructor(launcher: HelperLauncher, private readonly graceMs = GRACE_MS) {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    this.answered = new Int32Array(shared);
    this.port = port1;
    this.worker = new Worker(launcher.file, { workerData: { job: 'cluster', port: port2, answered: shared } satisfies ClusterHelperStart, transferList: [port2], execArgv: launcher.execArgv });
    // Its failure is noticed as a missing answer; it must not take the dream's worker down.
    this.worker.on('error', () => (this.broken = true));
    this.worker.unref();
  }

  /**
   * Clusters every job, about half of the work in the helper (by number of documents, largest first):
   * the results in job order, the same as clusterHere's.
   */
  readonly clusterAll: Clusterer = (jobs) => {
    if (this.broken || jobs.length < 2) return clusterHere(jobs);
    const order = jobs.map((_, i) => i).sort((a, b) => jobs[b]!.keys.length - jobs[a]!.keys.length);
    const remote = new Map<number, number>(); // message id → job index
    let here = 0, there = 0;
    const mine: number[] = [];
    for (const i of order) {
      const size = jobs[i]!.keys.length;
      if (there + size <= here) {
        const id = this.next++;
        remote.set(id, i);
        this.port.postMessage({ id, job: jobs[i] });
        there += size;
      } else mine.push(i), (here += size);
    }
    const out: number[][] = new Array(jobs.length);
    const started = Date.now();
    for (const i of mine) out[i] = clusterOne(jobs[i]!);
    trace(`clustered here: ${here} keys (helper: ${there})`);
    const deadline = Date.now() + Math.max(this.graceMs, 3 * (Date.now() - started));
    while (remote.size && !this.broken) {
      const seen = Atomics.load(this.answered, 0);
      const m = receiveMessageOnPort(this.port)?.message as { id: number; roots: number[] | null } | undefined;
      if (m) {
        const i = remote.get(m.id);
        remote.delete(m.id);
        if (i !== undefined && m.roots) out[i] = m.roots, this.clusteredThere++;
        else if (i !== undefined) out[i] = clusterOne(jobs[i]!);
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) this.broken = true;
      else Atomics.wait(this.answered, 0, seen, Math.min(left, 250));
    }
    trace('cluster helper answered');
    // Given up on (or failed): what it still held is clustered here.
    for (const i of remote.values()) out[i] = clusterOne(jobs[i]!);
    return out;
  };

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

// Preparing session records in a worker thread during a large import. Reading a log (parsing it into
// events) and preparing what is stored of it (redaction, signals, the record's JSON and hash) take about
// the same CPU time, and on a laptop's cores they overlap: the owner reads the next conversation while
// the worker prepares this one. (A 200 MB ChatGPT export: 9.0 s → 6.0 s on two cores.)
//
// The owner keeps everything that touches the store: the merge with a stored session (done in its own
// thread, as before), the index, and appending each record once it is ready. So the crash guarantees are
// those of a single-threaded import: records are appended before the index (the commit point) names
// them. The worker only computes: the events go over as they are (a structured clone: V8's serializer
// took a third of JSON.stringify's time on the owner's side for a 2 MB session, and the owner is the
// busier thread) and the record comes back as bytes, transferred.
//
// Memory stays flat: at most `maxBytes` of events are in flight; past that the owner prepares the next
// session itself instead of handing it over (so neither thread waits for the other). It keeps no copy of
// what it handed over: a copy kept until the answer outlived two young-generation collections and was
// promoted, and the owner's heap grew by ~100 MB that way. So when the worker fails (it could not start,
// or died), what it held is lost to this batch: those sessions are reported with their files, which are
// not marked imported and are read again by the next import (SessionWrites); everything after is
// prepared in the owner's thread by the same function.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Agent, Session, SessionEvent } from '../../../shared/model';
import type { WorkerLauncher } from '../dreaming/runner';
import { encodeRecord } from '../store/segments';
import { redactEvent, sessionDoc, type SessionBase } from './session-doc';

/** One session to prepare: its summary's fixed fields, its agent, its events (not yet redacted). */
export interface RecordJob { base: SessionBase; agent: Agent; events: SessionEvent[] }
export interface PreparedRecord { session: Session; record: Buffer }

/**
 * How the worker is told what it is for (electron/worker/dream.ts starts the record loop on it), and the
 * port it answers on: a port of its own, so the owner can take answers synchronously (see hasRoom).
 */
export interface RecordWorkerStart { job: 'session-records'; replies: MessagePort }
export const isRecordWorkerStart = (data: unknown): data is RecordWorkerStart => (data as RecordWorkerStart | null)?.job === 'session-records';
export type RecordRequest = RecordJob & { n: number };
export type RecordReply = { n: number; session: Session; record: Uint8Array } | { n: number; error: string };

/** The work itself, the same in either thread. */
export function prepareRecord(job: RecordJob): PreparedRecord {
  const doc = sessionDoc(job.base, job.agent, job.events.map(redactEvent));
  return { session: doc.session, record: encodeRecord(JSON.stringify(doc)) };
}

/** The worker's side: answers each request in order, the record's memory handed over rather than copied. */
export function serveRecords(requests: { on(ev: 'message', fn: (m: RecordRequest) => void): unknown }, replies: Pick<MessagePort, 'postMessage'>): void {
  requests.on('message', (req) => {
    let prepared: PreparedRecord;
    try {
      prepared = prepareRecord(req);
    } catch (err) {
      return replies.postMessage({ n: req.n, error: err instanceof Error ? err.message : String(err) } satisfies RecordReply);
    }
    const { record } = prepared;
    // encodeRecord allocates outside Node's shared pool: the buffer is the whole ArrayBuffer, safe to move.
    const whole = record.byteOffset === 0 && record.byteLength === record.buffer.byteLength;
    replies.postMessage({ n: req.n, session: prepared.session, record } satisfies RecordReply, whole ? [record.buffer as ArrayBuffer] : []);
  });
}

/**
 * About what a session's events weigh in flight (their text, and ~250 bytes each of ids, paths and
 * times): counted rather than serialized, for the budget.
 */
function approximateBytes(events: SessionEvent[]): number {
  let n = 0;
  for (const e of events) n += 250 + e.text.length + (e.tool ? e.tool.name.length + (e.tool.input?.length ?? 0) : 0);
  return n;
}

interface Waiting { bytes: number; resolve(p: PreparedRecord): void; reject(e: Error): void }

export class RecordPool {
  private worker: Worker | null;
  private closing = false;
  private next = 0;
  private inFlight = 0;
  private readonly waiting = new Map<number, Waiting>();
  private readonly replies: MessagePort;

  constructor(launcher: WorkerLauncher, private readonly maxBytes = 2 * 1024 * 1024) {
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    port1.on('message', (m: RecordReply) => this.settle(m));
    const start: RecordWorkerStart = { job: 'session-records', replies: port2 };
    // Its garbage is all short-lived (one session at a time): a small young generation keeps the
    // thread's heap near 30 MB instead of ~50 MB, at no cost in speed (measured on a 200 MB export).
    const worker = new Worker(launcher.file, { workerData: start, transferList: [port2], execArgv: launcher.execArgv ?? [], resourceLimits: { maxYoungGenerationSizeMb: 6 } });
    this.worker = worker;
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.closing || this.fail(new Error(`the record worker exited (code ${code})`)));
  }

  /**
   * Whether the worker can take another session now: it is running and what it holds is under the
   * budget. When not, the owner prepares the session itself rather than wait, so both threads stay
   * busy whichever is the slower side.
   */
  get hasRoom(): boolean {
    // Answers are taken here too, not only as message events: reading many small logs, the owner can go
    // a whole import without returning to its event loop (every read is synchronous), and the budget,
    // never given back, sent 92 % of 10,000 sessions to the owner while the worker sat idle.
    if (this.worker && this.inFlight >= this.maxBytes) for (let m = receiveMessageOnPort(this.replies); m; m = receiveMessageOnPort(this.replies)) this.settle(m.message as RecordReply);
    return this.worker !== null && this.inFlight < this.maxBytes;
  }

  /** Prepares one session's record in the worker (or here, once the worker is gone). */
  prepare(job: RecordJob): Promise<PreparedRecord> {
    if (!this.worker) return new Promise((resolve) => resolve(prepareRecord(job)));
    const n = this.next++;
    const bytes = approximateBytes(job.events);
    this.inFlight += bytes;
    const request: RecordRequest = { ...job, n };
    const done = new Promise<PreparedRecord>((resolve, reject) => this.waiting.set(n, { bytes, resolve, reject }));
    this.worker.postMessage(request);
    return done;
  }

  private take(n: number): Waiting | undefined {
    const w = this.waiting.get(n);
    if (!w) return undefined;
    this.waiting.delete(n);
    this.inFlight -= w.bytes;
    return w;
  }

  private settle(m: RecordReply): void {
    const w = this.take(m.n);
    if (!w) return;
    if ('error' in m) return w.reject(new Error(m.error));
    w.resolve({ session: m.session, record: Buffer.from(m.record.buffer, m.record.byteOffset, m.record.byteLength) });
  }

  /** The worker is gone: what it held fails with the reason; what comes later is prepared here. */
  private fail(err: Error): void {
    if (!this.worker) return;
    const worker = this.worker;
    this.worker = null;
    void worker.terminate().catch(() => undefined);
    const why = new Error(`the record worker stopped (${err.message})`);
    for (const n of [...this.waiting.keys()]) this.take(n)!.reject(why);
  }

  /** Stops the worker; call once every prepared record was awaited. */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    this.worker = null;
    this.replies.close();
    await worker?.terminate();
  }
}

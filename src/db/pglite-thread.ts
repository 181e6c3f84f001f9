/**
 * The embedded PGlite in a worker thread of its own. PGlite is Postgres compiled to WebAssembly:
 * every statement runs synchronously in the thread that calls it, and on the main thread a 45 MB
 * ingest held the HTTP event loop for seconds in all (bench/pool.mjs --probe: the 8 MB document's
 * insert 1.2 s in one call, each batch of 5,000 findings up to 0.8 s; bench/ANALYSIS.md).
 *
 * `PGliteThread` is what drizzle's pglite driver and scope.ts use of a PGlite — `query`, `exec`,
 * `transaction` (BEGIN … COMMIT, or ROLLBACK when the callback throws), `close` — inherited from
 * PGlite's own base class, whose every statement goes through `execProtocolStream`: that one call
 * crosses to the thread (pglite-worker.ts), which runs the message on its PGlite and answers the
 * backend messages. Parameters are serialised (our bytea codec, JSON) and row values parsed on
 * this thread, as before; what leaves it is Postgres itself. The transaction and query locks stay
 * here, so a transaction's statements still run back to back with no other caller's between them.
 *
 * NOTE: PGlite's `PGliteWorker` (`@electric-sql/pglite/worker`) is made for browser tabs sharing
 * one database: it elects a leader through `navigator.locks` and talks over `BroadcastChannel`,
 * and Node 20 has no `navigator.locks`. This is the same split (base class + protocol over a
 * message port) with one client and nothing to elect.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { messages, Mutex, PGlite } from '@electric-sql/pglite';

/** What the worker is started with. */
export interface PGliteThreadData {
  /** on disk (NodeFS) */
  dataDir?: string;
  /** in memory, from this image of a data dir (`dumpDataDir()`); neither: an empty cluster in memory */
  image?: Blob;
}

export type Request =
  | { id: number; op: 'stream'; message: Uint8Array }
  | { id: number; op: 'sync' }
  | { id: number; op: 'dump'; compression?: 'none' | 'gzip' | 'auto' }
  | { id: number; op: 'close' };

export type Reply =
  | { id: number; ok: true; value: unknown }
  | {
      id: number;
      ok: false;
      error: { database: boolean; message: string; fields: Record<string, unknown> };
    };

/**
 * Per type OID, how a parameter is written and a text value read. A serializer may answer bytes:
 * PGlite's Bind then sends them as they are, in binary format (PGlite's own types say `string`).
 */
export interface Codec {
  serializers?: Record<number, (value: unknown) => string | Uint8Array>;
  parsers?: Record<number, (text: string) => unknown>;
}

type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

/** The part of PGlite's base class this uses (it is not exported by name; see `BasePGlite`). */
interface PGliteBase {
  serializers: PGlite['serializers'];
  parsers: PGlite['parsers'];
  query: PGlite['query'];
  sql: PGlite['sql'];
  exec: PGlite['exec'];
  transaction: PGlite['transaction'];
  _initArrayTypes(): Promise<void>;
}

/**
 * PGlite's abstract base class (`BasePGlite`): `query`, `exec`, `transaction` and the protocol
 * encoding, over the abstract `execProtocolStream` and locks. The package does not export it by
 * name; PGlite extends it directly. Checked here so that a PGlite upgrade that moves it fails at
 * start-up (and in tests/unit/pglite-thread.test.ts), not at the first query.
 */
const BasePGlite = Object.getPrototypeOf(PGlite) as abstract new () => PGliteBase;
if (typeof BasePGlite?.prototype?.transaction !== 'function' || typeof BasePGlite.prototype.query !== 'function') {
  throw new Error(
    "@electric-sql/pglite: PGlite's base class has no query/transaction (a version this code does not know)",
  );
}

/** The thread's code: pglite-worker.js next to this file, else the built one (jest runs the sources). */
export function pgliteWorkerFile(): string {
  const sibling = fileURLToPath(new URL('./pglite-worker.js', import.meta.url));
  if (existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL('../../dist/db/pglite-worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`the database thread's code is missing (${built}): run npm run build`);
}

/** Messages at least this long go to the thread transferred (moved, not copied) when they own their buffer. */
const TRANSFER_MIN_BYTES = 64 * 1024;

export class PGliteThread extends BasePGlite {
  readonly debug = 0;
  readonly #worker: Worker;
  readonly #queryLock = new Mutex();
  readonly #transactionLock = new Mutex();
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #next = 1;
  /** set once the thread is gone (closed, crashed): every call after it fails with it */
  #gone: Error | undefined;
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker, codec: Codec) {
    super();
    this.#worker = worker;
    if (codec.parsers) this.parsers = { ...this.parsers, ...codec.parsers };
    if (codec.serializers)
      this.serializers = { ...this.serializers, ...(codec.serializers as PGliteBase['serializers']) };
    worker.on('message', (reply: Reply) => this.#settle(reply));
    worker.on('error', (err) => this.#fail(new Error(`PGlite is closed: its thread failed (${err.message})`)));
    worker.on('exit', (code) => this.#fail(new Error(`PGlite is closed: its thread exited (code ${code})`)));
  }

  /**
   * Starts the thread and its PGlite (on `data.dataDir`, or in memory), and waits until it
   * answers. Throws PGlite's own start-up error (a data dir it cannot read, …).
   */
  static async create(data: PGliteThreadData, codec: Codec = {}): Promise<PGliteThread> {
    const worker = new Worker(pgliteWorkerFile(), { workerData: data });
    const started = new Promise<void>((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        if (reply.id !== 0) return;
        cleanup();
        if (reply.ok) resolve();
        else reject(errorFrom(reply.error));
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`PGlite's thread exited (code ${code}) before the database opened`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
    });
    try {
      await started;
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    const client = new PGliteThread(worker, codec);
    worker.unref(); // referenced only while a call is in flight (#call): an idle database keeps no process alive
    await client._initArrayTypes();
    return client;
  }

  get closed(): boolean {
    return this.#gone !== undefined;
  }

  // ---- what BasePGlite builds query/exec/transaction on ----

  async execProtocolStream(message: Uint8Array): Promise<BackendMessage[]> {
    const transfer =
      message.byteLength >= TRANSFER_MIN_BYTES &&
      message.byteOffset === 0 &&
      message.byteLength === message.buffer.byteLength &&
      message.buffer instanceof ArrayBuffer
        ? [message.buffer]
        : [];
    return (await this.#call({ op: 'stream', message }, transfer)) as BackendMessage[];
  }

  async syncToFs(): Promise<void> {
    await this.#call({ op: 'sync' });
  }

  async _checkReady(): Promise<void> {
    if (this.#gone) throw this.#gone;
  }

  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queryLock.runExclusive(fn);
  }

  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.#transactionLock.runExclusive(fn);
  }

  // COPY … TO/FROM a blob: not used by Posture
  async _handleBlob(blob?: Blob): Promise<void> {
    if (blob) throw new Error('PGliteThread: COPY with a blob is not supported');
  }
  async _getWrittenBlob(): Promise<undefined> {
    return undefined;
  }
  async _cleanupBlob(): Promise<void> {}

  // ---- the rest of PGlite's interface that Posture uses ----

  /** An image of the data dir (tests: tests/helpers/pglite-image.ts). */
  async dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<Blob> {
    const bytes = (await this.#call({ op: 'dump', compression })) as Uint8Array;
    return new Blob([bytes]);
  }

  /**
   * Waits for the transaction under way (and the statements queued before this call), closes
   * PGlite in its thread (it flushes to the data dir) and lets the thread end.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#gone) return;
      await this.#transactionLock.runExclusive(() => this.#queryLock.runExclusive(() => this.#call({ op: 'close' })));
      this.#fail(new Error('PGlite is closed'));
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  listen(): Promise<never> {
    return Promise.reject(new Error('PGliteThread: LISTEN is not supported'));
  }

  // ---- the message port ----

  #call(req: DistributiveOmit<Request, 'id'>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...req, id }, transfer);
    });
  }

  #settle(reply: Reply): void {
    const waiting = this.#pending.get(reply.id);
    if (!waiting) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(errorFrom(reply.error));
  }

  #fail(err: Error): void {
    this.#gone ??= err;
    for (const { reject } of this.#pending.values()) reject(this.#gone);
    this.#pending.clear();
    this.#worker.unref();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The thread's error as PGlite raises it here: a PostgreSQL error is PGlite's DatabaseError (its
 * base class wraps those with the query, and errors.ts reads their SQLSTATE), anything else an Error.
 */
function errorFrom(error: Extract<Reply, { ok: false }>['error']): Error {
  if (error.database) {
    const { message: _m, length, name, stack: _s, ...fields } = error.fields;
    const e = new messages.DatabaseError(error.message, Number(length ?? 0), (name as 'error') ?? 'error');
    return Object.assign(e, fields);
  }
  const e = new Error(error.message);
  if (typeof error.fields.name === 'string') e.name = error.fields.name;
  return e;
}

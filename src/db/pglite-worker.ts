/**
 * The embedded PGlite's own thread (see pglite-thread.ts): it holds the one PGlite instance and
 * runs the wire-protocol messages the main thread's client sends, one at a time, in order. The
 * WebAssembly Postgres runs synchronously inside each call, so here it holds only this thread's
 * event loop. Statements, parameters and row values are encoded and decoded on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { messages, PGlite } from '@electric-sql/pglite';
import type { PGliteThreadData, Reply, Request } from './pglite-thread.js';

const port = parentPort;
if (!port) throw new Error('pglite-worker.js runs as a worker thread (pglite-thread.ts starts it)');

const data = workerData as PGliteThreadData;

/** A wire-protocol answer's Uint8Array, transferable: a view on part of a buffer is copied out. */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

function errorOf(err: unknown): Extract<Reply, { ok: false }>['error'] {
  if (err instanceof messages.DatabaseError) {
    // every field of PostgreSQL's ErrorResponse (code, severity, detail, constraint, …)
    return { database: true, message: err.message, fields: { ...err } };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { database: false, message: e.message, fields: { name: e.name, stack: e.stack } };
}

async function main(): Promise<void> {
  let db: PGlite;
  try {
    db = data.dataDir
      ? await PGlite.create(data.dataDir)
      : await PGlite.create(data.image ? { loadDataDir: data.image } : {});
  } catch (err) {
    port!.postMessage({ id: 0, ok: false, error: errorOf(err) } satisfies Reply);
    return;
  }
  port!.postMessage({ id: 0, ok: true, value: null } satisfies Reply);

  // one request at a time, in the order sent: the main thread's locks already serialise them
  let queue = Promise.resolve();
  port!.on('message', (req: Request) => {
    queue = queue.then(async () => {
      let reply: Reply;
      const transfer: ArrayBuffer[] = [];
      try {
        switch (req.op) {
          case 'stream': {
            const value = await db.execProtocolStream(req.message, { syncToFs: false });
            reply = { id: req.id, ok: true, value };
            break;
          }
          case 'sync':
            await db.syncToFs();
            reply = { id: req.id, ok: true, value: null };
            break;
          case 'dump': {
            const blob = await db.dumpDataDir(req.compression);
            const bytes = own(new Uint8Array(await blob.arrayBuffer()));
            transfer.push(bytes.buffer as ArrayBuffer);
            reply = { id: req.id, ok: true, value: bytes };
            break;
          }
          case 'close':
            await db.close();
            reply = { id: req.id, ok: true, value: null };
            break;
        }
      } catch (err) {
        reply = { id: req.id, ok: false, error: errorOf(err) };
      }
      port!.postMessage(reply, transfer);
      if (req.op === 'close') port!.close();
    });
  });
}

void main();

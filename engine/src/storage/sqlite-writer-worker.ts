/**
 * The writer worker's entry point: owns the SQLite write connections and runs one batch
 * per message, so a slow fsync stalls this thread, never the member's event loop.
 * Started by sqlite-store.ts with a WorkerConfig as workerData.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { asStorageError, SqliteWriter } from './sqlite-writer.js';
import { forwardingLogger, unpackOps, type FromWorker, type ToWorker, type WorkerConfig } from './writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('sqlite-writer-worker must run as a worker thread');
const post = (msg: FromWorker): void => port.postMessage(msg);
const config = workerData as WorkerConfig;

let writer: SqliteWriter | null = null;
try {
  writer = new SqliteWriter(config.paths, { fsyncDelayMs: config.fsyncDelayMs, logger: forwardingLogger(post) });
  post({ type: 'ready', state: writer.state() });
} catch (e) {
  const err = asStorageError(e);
  post({ type: 'open-failed', error: { kind: err.kind, message: err.message } });
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'close') {
    try {
      writer?.close();
    } finally {
      writer = null;
      post({ type: 'closed' });
      port.close();
    }
    return;
  }
  if (!writer) {
    post({ type: 'failed', id: msg.id, error: { kind: 'closed', message: 'the writer is not open' } });
    return;
  }
  try {
    const { outcomes, state } = writer.execute(unpackOps(msg.ops, msg.blob));
    post({ type: 'done', id: msg.id, outcomes, state });
  } catch (e) {
    const err = asStorageError(e);
    post({ type: 'failed', id: msg.id, error: { kind: err.kind, message: err.message } });
  }
});

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointing thread copies the write-ahead log into the database. */
export const CHECKPOINT_INTERVAL_MS = 250;

/** How long closing waits for the checkpointing thread to close its connection. */
const STOP_TIMEOUT_MS = 2_000;

export interface WalCheckpointer {
  /**
   * Stops the thread and waits (at most 2 s) until its connection is closed, so that the caller's connection is the
   * last one and its close checkpoints and removes the log. Idempotent.
   */
  stop(): void;
}

/**
 * Checkpoints the WAL-mode database at `path` from a worker thread of its own, every
 * {@link CHECKPOINT_INTERVAL_MS}. SQLite otherwise checkpoints inside whichever commit takes the log past 1,000 pages:
 * with the decision audit's ~8 KB rows that was a commit every few hundred decisions, each blocking the event loop
 * for 10–140 ms while it copied ~4 MB and synced the file, which set the decisions' p99 latency. A PASSIVE checkpoint
 * waits for no one and blocks no writer, so the server's own commits only append to the log.
 *
 * A problem in the thread (it cannot open the file, it dies) is reported through `onError`; the caller's connection
 * keeps a fallback threshold so that the log still cannot grow without bound.
 *
 * @example
 * const checkpointer = startWalCheckpointer('data/opslot.sqlite', (error) => process.emitWarning(String(error)));
 * checkpointer.stop();
 */
export function startWalCheckpointer(path: string, onError: (error: Error) => void): WalCheckpointer {
  // 0: running; 1: stopped, its connection closed.
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      path,
      state,
      intervalMs: CHECKPOINT_INTERVAL_MS,
      // The worker runs as a script without this module's location: it gets the driver's resolved path.
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
  });
  // The thread must not keep a process alive that has nothing else to do.
  worker.unref();
  worker.on('error', onError);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage('stop');
      Atomics.wait(state, 0, 0, STOP_TIMEOUT_MS);
      void worker.terminate();
    },
  };
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { state } = workerData;
let db;
const stop = () => {
  clearInterval(timer);
  if (db && db.open) db.close();
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
  parentPort.close();
};
parentPort.on('message', (message) => {
  if (message === 'stop') stop();
});
const timer = setInterval(() => {
  try {
    if (!db) {
      db = new Database(workerData.path, { fileMustExist: true });
      db.pragma('busy_timeout = 5000');
    }
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    stop();
    throw error;
  }
}, workerData.intervalMs);
`;

/**
 * The coordinator ↔ load-worker protocol (node IPC messages), defined once. Every
 * command carries an id and gets exactly one `done` or `failed` answer with that id;
 * `fired` is the one unsolicited message (watch events arriving after `arm`).
 *
 * Times that cross processes are on the shared monotonic clock (lib/clock.ts monoNow).
 */
import type { HistogramData } from '../lib/histogram.js';
import type { WorkloadSpec } from './workloads.js';

export type WorkerCommand =
  /** Open new sessions with these global indices; session g goes to servers[g % servers.length]. */
  | { id: number; type: 'open'; servers: string[]; sessions: number[]; timeoutMs: number }
  /**
   * Run a workload on every open session from `startAt`. Replies arriving in
   * [startAt + warmupMs, startAt + warmupMs + durationMs] are measured; durationMs null
   * runs until every session's source is used up.
   */
  | { id: number; type: 'load'; spec: WorkloadSpec; totalSessions: number; inFlight: number; startAt: number; warmupMs: number; durationMs: number | null }
  /** getData(path, watch=true) on every open session; a `fired` message follows once all saw the event. */
  | { id: number; type: 'arm'; path: string }
  /** closeSession on every open session. */
  | { id: number; type: 'close-all' }
  /** `loops` concurrent connect → closeSession loops, measured like `load`. */
  | { id: number; type: 'churn'; servers: string[]; loops: number; firstLoop: number; startAt: number; warmupMs: number; durationMs: number; timeoutMs: number };

export interface LoadResult {
  /** Replies (and error replies) inside the window. */
  completed: number;
  errors: number;
  histogram: HistogramData;
  windowStart: number;
  /** Arrival of the last reply inside the window (for runs that end by running dry). */
  lastReplyAt: number;
  /** Requests sent per global session index over the whole run (warm-up included). */
  sent: Record<number, number>;
  /** All error replies in the run, warm-up included, by error code. */
  errorCodes: Record<number, number>;
  /** The distinct payload lengths of successful replies (checked against the workload). */
  replyLengths: number[];
  /** CPU this worker process used during the run (ms): shows whether the client kept up. */
  clientCpuMs: number;
}

export type WorkerEvent =
  | { id: number; type: 'done'; result?: LoadResult }
  | { id: number; type: 'failed'; error: string }
  | { type: 'fired'; firstAt: number; lastAt: number; sessions: number };

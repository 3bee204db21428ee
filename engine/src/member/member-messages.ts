/**
 * What a zk-server process tells its parent (the lab supervisor, test harnesses) over
 * its IPC channel, or as JSON lines on stdout with `--report`. Generic on purpose:
 * `ready` once listening, `state` periodically, `events` in batches. The lab parses
 * these with engine/src/lab/member-report.ts; 64-bit values travel as hex strings.
 */
import type { JsonSafe, MemberState, ReportedEvent } from '../quorum/protocol-events.js';

export type MemberMessage =
  /** The client port is bound (the actual port, also when clientPort=0 asked for a free one). */
  | { type: 'ready'; clientPort: number; clientAddress: string; sid: number; pid: number }
  | { type: 'state'; state: JsonSafe<MemberState> }
  | { type: 'events'; events: JsonSafe<ReportedEvent>[]; dropped: number }
  /** The member is shutting down (SIGTERM/SIGINT or a fatal error). */
  | { type: 'stopping'; reason: string };

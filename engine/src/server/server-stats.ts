/**
 * Request counters and latency figures, server-wide and per connection, as srvr, stat,
 * cons and mntr print them (wire-protocol.md §16). Latencies are whole milliseconds, as
 * in ZooKeeper. `srst` resets the server-wide ones, `crst` the per-connection ones.
 */
import { roundTo4 } from './java-format.js';

export class LatencyStats {
  min = 0;
  max = 0;
  count = 0;
  total = 0;
  last = 0;

  record(ms: number): void {
    if (this.count === 0 || ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
    this.count++;
    this.total += ms;
    this.last = ms;
  }

  /** Rounded to 4 decimals, as ServerStats.getAvgLatency. */
  get avg(): number {
    return this.count === 0 ? 0 : roundTo4(this.total / this.count);
  }

  reset(): void {
    this.min = this.max = this.count = this.total = this.last = 0;
  }
}

export class ServerStats {
  packetsReceived = 0;
  packetsSent = 0;
  readonly latency = new LatencyStats();
  readonly readLatency = new LatencyStats();
  readonly updateLatency = new LatencyStats();
  authFailed = 0;
  connectionsRejected = 0;
  bytesReceived = 0;
  lastResponseSize = -1;
  minResponseSize = -1;
  maxResponseSize = -1;
  unsuccessfulHandshakes = 0;
  sessionsExpired = 0;
  /** Connections dropped for never sending a usable first frame. */
  sessionlessExpired = 0;

  recordResponseSize(bytes: number): void {
    this.lastResponseSize = bytes;
    if (this.minResponseSize < 0 || bytes < this.minResponseSize) this.minResponseSize = bytes;
    if (bytes > this.maxResponseSize) this.maxResponseSize = bytes;
  }

  reset(): void {
    this.packetsReceived = this.packetsSent = 0;
    this.latency.reset();
    this.readLatency.reset();
    this.updateLatency.reset();
    this.authFailed = this.connectionsRejected = this.bytesReceived = 0;
    this.lastResponseSize = this.minResponseSize = this.maxResponseSize = -1;
    this.unsuccessfulHandshakes = 0;
  }
}

/** What `cons` prints for one connection (ServerCnxn.dumpConnectionInfo). */
export class ConnectionStats {
  received = 0;
  sent = 0;
  readonly latency = new LatencyStats();
  lastOp = 'NA';
  lastCxid = -1;
  lastZxid = -1n;
  /** Monotonic ms of the last response (ZooKeeper prints its elapsed-time clock). */
  lastResponseTime = 0;

  reset(): void {
    this.received = this.sent = 0;
    this.latency.reset();
    this.lastOp = 'NA';
    this.lastCxid = -1;
    this.lastZxid = -1n;
    this.lastResponseTime = 0;
  }
}

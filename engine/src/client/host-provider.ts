/**
 * The order in which servers are tried (Java's StaticHostProvider): the connect string's
 * hosts, shuffled once, tried round-robin. When every host has failed once since the
 * last successful connection, the next attempt waits `retryDelay` first.
 */
import { shuffled } from './connect-string.js';
import type { HostPort } from './types.js';

export class HostProvider {
  readonly hosts: readonly HostPort[];
  private index = -1;
  private failuresInARow = 0;

  constructor(hosts: readonly HostPort[], shuffle: boolean, random: () => number) {
    this.hosts = shuffle ? shuffled(hosts, random) : hosts.slice();
  }

  get size(): number {
    return this.hosts.length;
  }

  /** The next host to try and how long to wait before trying it. */
  next(retryDelay: number): { host: HostPort; delay: number } {
    this.index = (this.index + 1) % this.hosts.length;
    const delay = this.failuresInARow >= this.hosts.length ? retryDelay : 0;
    if (delay > 0) this.failuresInARow = 0;
    return { host: this.hosts[this.index], delay };
  }

  /** The host after the current one, without moving (used by the read-only probe). */
  peekOther(offset: number): HostPort {
    return this.hosts[(this.index + offset) % this.hosts.length];
  }

  onFailure(): void {
    this.failuresInARow++;
  }

  onConnected(): void {
    this.failuresInARow = 0;
  }
}

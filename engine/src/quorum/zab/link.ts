/**
 * One end of a learner↔leader association (see messages.ts): numbers outgoing packets and
 * checks incoming ones for duplicates and gaps, giving ZAB the FIFO channel it assumes.
 * Liveness packets carry no number but say how many numbered ones came before them; what
 * they announce and does not arrive in time counts as a gap (`overdue`).
 */
import { livenessSeq, numberedBefore, type ZabBody, type ZabPacket } from '../messages.js';

export type Arrival = 'ok' | 'duplicate' | 'gap';

export class LinkEnd {
  private nextOut = 0;
  private nextIn = 0;
  /**
   * Announcements not yet met, oldest first: "`count` numbered packets came before me", heard
   * at tick `at`. Counts increase; one entry per liveness packet that found packets missing.
   */
  private readonly announced: { count: number; at: number }[] = [];

  constructor(readonly id: number) {}

  packet(body: ZabBody): ZabPacket {
    return { type: 'zab', link: this.id, seq: this.nextOut++, body };
  }

  /** A liveness packet: no number, so it can overtake (messages.ts livenessSeq). */
  liveness(body: ZabBody): ZabPacket {
    return { type: 'zab', link: this.id, seq: livenessSeq(this.nextOut), body };
  }

  /** Classifies an incoming packet of this link and, if it is the next one, consumes its number. */
  accept(p: ZabPacket, now: number): Arrival {
    const before = numberedBefore(p.seq);
    if (before !== null) {
      const last = this.announced[this.announced.length - 1];
      if (before > this.nextIn && (!last || before > last.count)) this.announced.push({ count: before, at: now });
      return 'ok';
    }
    if (p.seq < this.nextIn) return 'duplicate';
    if (p.seq > this.nextIn) return 'gap';
    this.nextIn++;
    while (this.announced.length > 0 && this.announced[0]!.count <= this.nextIn) this.announced.shift();
    return 'ok';
  }

  /** True when packets a liveness packet announced have been missing for more than `limit` ticks. */
  overdue(now: number, limit: number): boolean {
    const oldest = this.announced[0];
    return oldest !== undefined && now - oldest.at > limit;
  }
}

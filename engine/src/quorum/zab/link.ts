/**
 * One end of a learner↔leader association (see messages.ts): numbers outgoing packets and
 * checks incoming ones for duplicates and gaps, giving ZAB the FIFO channel it assumes.
 */
import type { ZabBody, ZabPacket } from '../messages.js';

export type Arrival = 'ok' | 'duplicate' | 'gap';

export class LinkEnd {
  private nextOut = 0;
  private nextIn = 0;

  constructor(readonly id: number) {}

  packet(body: ZabBody): ZabPacket {
    return { type: 'zab', link: this.id, seq: this.nextOut++, body };
  }

  /** Classifies an incoming packet of this link and, if it is the next one, consumes its number. */
  accept(p: ZabPacket): Arrival {
    if (p.seq < this.nextIn) return 'duplicate';
    if (p.seq > this.nextIn) return 'gap';
    this.nextIn++;
    return 'ok';
  }
}

/**
 * When to take a snapshot: ZooKeeper's SyncRequestProcessor rule. After
 * `snapCount/2 + roll` txns, where `roll` is drawn anew in [0, snapCount/2) after each
 * snapshot, so ensemble members do not all snapshot at the same moment. Pure: the random
 * source is injected.
 */
export class SnapshotPolicy {
  private sinceLast = 0;
  private roll: number;

  constructor(
    private readonly snapCount: number,
    private readonly random: () => number = Math.random,
  ) {
    this.roll = this.draw();
  }

  private draw(): number {
    return Math.floor(this.random() * Math.floor(this.snapCount / 2));
  }

  /** Counts one logged txn; true when a snapshot is due. */
  logged(): boolean {
    this.sinceLast++;
    return this.sinceLast > Math.floor(this.snapCount / 2) + this.roll;
  }

  /** A snapshot was started: restart the count with a fresh roll. */
  reset(): void {
    this.sinceLast = 0;
    this.roll = this.draw();
  }

  get txnsSinceSnapshot(): number {
    return this.sinceLast;
  }
}

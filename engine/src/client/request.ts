/**
 * One request on its way through the client: what to send and how to turn the reply
 * into a result. Settling is synchronous with the frame that answers it, so watch
 * registrations (`onReply`) happen before any later frame of the same connection is
 * looked at (wire-protocol.md §12.3: a notification that follows a reply must find the
 * watch registered).
 */
import { JuteReader } from '../jute/reader.js';
import { ZkError } from './errors.js';

export interface RequestSpec<T> {
  opcode: number;
  /** The encoded request body (no header); null for body-less requests (whoAmI, closeSession). */
  body: Buffer | null;
  /** The client-side path errors should name. */
  path?: string;
  /** Error codes that resolve instead of rejecting (exists: NoNode → null). */
  acceptErrors?: readonly number[];
  /** Decodes a successful (or accepted-error) reply body. */
  read(err: number, r: JuteReader): T;
  /** Runs first on every outcome, including ConnectionLoss; may throw to reject. */
  onReply?(err: number): void;
}

const EMPTY = new JuteReader(Buffer.alloc(0));

export class PendingRequest<T = unknown> {
  private done = false;

  constructor(
    readonly spec: RequestSpec<T>,
    private readonly resolve: (v: T) => void,
    private readonly reject: (e: unknown) => void,
  ) {}

  /**
   * True once the request has an outcome. A request that timed out (RequestTimeout) may
   * still be on a connection: its late reply or ConnectionLoss is then ignored.
   */
  get settled(): boolean {
    return this.done;
  }

  /** Settles with the server's reply code and body. */
  settle(err: number, r: JuteReader): void {
    if (this.done) return;
    this.done = true;
    try {
      this.spec.onReply?.(err);
      if (err !== 0 && !this.spec.acceptErrors?.includes(err)) throw new ZkError(err, this.spec.path);
      this.resolve(this.spec.read(err, r));
    } catch (e) {
      this.reject(e);
    }
  }

  /** Fails without a reply (ConnectionLoss, SessionExpired, AuthFailed). */
  fail(code: number): void {
    if (this.done) return;
    this.done = true;
    try {
      this.spec.onReply?.(code);
    } catch (e) {
      this.reject(e);
      return;
    }
    this.reject(new ZkError(code, this.spec.path));
  }

  /** Rejects with a non-protocol error (a body that did not decode). */
  failWith(e: unknown): void {
    if (this.done) return;
    this.done = true;
    this.reject(e);
  }

  static readonly emptyBody = EMPTY;
}

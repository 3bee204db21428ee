/**
 * A wire-level decoding failure: a record could not be read from the bytes given.
 * It names the record, the field and the byte offset so a log line is enough to
 * find the culprit (nats.js / pg-protocol style: the state is in the message).
 */
export class ProtocolError extends Error {
  constructor(
    readonly record: string,
    readonly field: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`cannot decode ${record}.${field} at byte ${offset}: ${reason}`);
    this.name = 'ProtocolError';
  }
}

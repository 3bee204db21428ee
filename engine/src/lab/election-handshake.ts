/**
 * Keeps Apache ZooKeeper members behind the lab's election proxies.
 *
 * An Apache 3.6+ member opens each election connection with an initial message that
 * carries its own election address (protocol version, sid, then a length-prefixed
 * "host:port[|host:port…]" string). A receiver with the higher sid drops the connection
 * and dials back to THAT address — the member's real port, which bypasses the lab's proxy,
 * so a partition would cut the quorum links and leave election traffic flowing (the
 * majority then keeps electing the cut-off leader and can never follow it).
 *
 * The proxy for member i → member j therefore rewrites the address in that message to the
 * proxy j uses to reach i, the address j's zoo.cfg already names for i. Anything that is
 * not such a message (our own members' election protocol) passes through byte for byte.
 */

/** Apache's election protocol versions that carry addresses (QuorumCnxManager PROTOCOL_VERSION_V1/V2). */
const ADDRESS_PROTOCOL_VERSIONS = new Set([-65536n, -65535n]);
/** version (8) + sid (8) + address length (4). */
const HEADER_BYTES = 20;
/** Apache refuses longer initial messages too; past this it is not one. */
const MAX_ADDRESS_BYTES = 4096;

/** Transforms the first bytes a dialler sends; everything after the opening passes unchanged. */
export interface OpeningRewriter {
  /** Bytes to forward now for this chunk (possibly none while the opening is incomplete). */
  push(chunk: Buffer): Buffer[];
  /** The dialler ended the stream: whatever is still held, unchanged. */
  flush(): Buffer[];
}

/**
 * Rewrites an Apache election initial message's address list to `advertised()` (read when
 * the message is complete, so a proxy that moved port is named correctly).
 */
export function apacheElectionAddressRewriter(advertised: () => string): OpeningRewriter {
  let held: Buffer | null = Buffer.alloc(0);
  const release = (): Buffer[] => {
    const out = held && held.length > 0 ? [held] : [];
    held = null;
    return out;
  };
  return {
    push(chunk) {
      if (held === null) return [chunk];
      held = Buffer.concat([held, chunk]);
      if (held.length < 8) return [];
      if (!ADDRESS_PROTOCOL_VERSIONS.has(held.readBigInt64BE(0))) return release();
      if (held.length < HEADER_BYTES) return [];
      const length = held.readInt32BE(16);
      if (length < 0 || length > MAX_ADDRESS_BYTES) return release();
      if (held.length < HEADER_BYTES + length) return [];
      const address = Buffer.from(advertised(), 'latin1');
      const header = Buffer.from(held.subarray(0, HEADER_BYTES));
      header.writeInt32BE(address.length, 16);
      const rest = held.subarray(HEADER_BYTES + length);
      held = null;
      return rest.length > 0 ? [header, address, rest] : [header, address];
    },
    flush: release,
  };
}

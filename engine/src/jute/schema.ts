/**
 * Jute record descriptors: each record is defined once, as data, and that one
 * definition gives its TypeScript type (`Infer<typeof X>`), its reader and its writer,
 * so the two directions cannot drift apart. Field names and order follow
 * zookeeper.jute exactly (wire-protocol.md §3).
 */
import { JuteReader } from './reader.js';
import { JuteWriter } from './writer.js';

export interface Codec<T> {
  read(r: JuteReader): T;
  write(w: JuteWriter, v: T): void;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

export const int: Codec<number> = { read: (r) => r.int(), write: (w, v) => void w.int(v) };
export const long: Codec<bigint> = { read: (r) => r.long(), write: (w, v) => void w.long(v) };
export const bool: Codec<boolean> = { read: (r) => r.bool(), write: (w, v) => void w.bool(v) };
/** A jute buffer. `null` (length -1) and empty are different values (wire-protocol.md §9). */
export const buffer: Codec<Buffer | null> = { read: (r) => r.buffer(), write: (w, v) => void w.buffer(v) };
/**
 * A jute ustring that may not be null: a null string (length -1) is a decoding error
 * (ZooKeeper answers MarshallingError). Where null means something, records use
 * `nullableUstring` instead.
 */
export const ustring: Codec<string> = { read: (r) => r.ustring(), write: (w, v) => void w.ustring(v) };
export const nullableUstring: Codec<string | null> = {
  read: (r) => r.ustringOrNull(),
  write: (w, v) => void w.ustring(v),
};

/** A jute vector. A null vector (count -1, or any negative count) reads as an empty array. */
export function vector<T>(element: Codec<T>): Codec<T[]> {
  return {
    read(r) {
      const n = r.count();
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(element.read(r));
      return out;
    },
    write(w, v) {
      w.int(v.length);
      for (const e of v) element.write(w, e);
    },
  };
}

/**
 * An optional trailing field (the ConnectRequest/ConnectResponse `readOnly` byte, §4.1):
 * read only if bytes remain, written only when defined. Only valid as a record's last field.
 */
export function trailing<T>(inner: Codec<T>): Codec<T | undefined> {
  return {
    read: (r) => (r.remaining() > 0 ? inner.read(r) : undefined),
    write: (w, v) => {
      if (v !== undefined) inner.write(w, v);
    },
  };
}

type Fields = Record<string, Codec<any>>;
export type RecordOf<F extends Fields> = { [K in keyof F]: Infer<F[K]> };

export interface RecordCodec<T> extends Codec<T> {
  readonly name: string;
  /** Decodes a whole buffer holding exactly this record (trailing bytes are ignored, as ZooKeeper does). */
  decode(buf: Buffer, maxLength?: number): T;
  /** Encodes one record into a fresh buffer. */
  encode(v: T): Buffer;
}

export function record<F extends Fields>(name: string, fields: F): RecordCodec<RecordOf<F>> {
  const entries = Object.entries(fields);
  const codec: RecordCodec<RecordOf<F>> = {
    name,
    read(r) {
      const out: Record<string, unknown> = {};
      for (const [key, field] of entries) {
        r.context(name, key);
        out[key] = field.read(r);
      }
      return out as RecordOf<F>;
    },
    write(w, v) {
      for (const [key, field] of entries) field.write(w, (v as Record<string, unknown>)[key]);
    },
    decode(buf, maxLength) {
      return codec.read(new JuteReader(buf, 0, buf.length, maxLength));
    },
    encode(v) {
      const w = new JuteWriter(64);
      codec.write(w, v);
      return Buffer.from(w.toBuffer());
    },
  };
  return codec;
}

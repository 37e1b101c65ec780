/**
 * A minimal Protocol Buffers wire-format writer: just what encoding ONNX models needs (varints, 32-bit
 * floats, length-delimited bytes, strings and nested messages). Wire format:
 * https://protobuf.dev/programming-guides/encoding/ — a field is a key `(number << 3) | wireType`
 * followed by its value; wire types used here are 0 (varint), 2 (length-delimited) and 5 (32-bit).
 *
 * @example
 * ```ts
 * const w = new ProtobufWriter();
 * w.int64(1, 8);          // field 1 = 8 (varint)
 * w.string(2, 'graph');   // field 2 = "graph"
 * const bytes = w.finish();
 * ```
 */
export class ProtobufWriter {
  private chunks: Uint8Array[] = [];
  private buf = new Uint8Array(1024);
  private pos = 0;
  private total = 0;

  /** A varint field (int32, int64, enum, bool). Negative numbers take ten bytes (two's complement). */
  int64(field: number, value: number): void {
    this.key(field, 0);
    this.varint(value);
  }

  /** A 32-bit float field (wire type 5). */
  float(field: number, value: number): void {
    this.key(field, 5);
    this.reserve(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).setFloat32(0, value, true);
    this.pos += 4;
  }

  /** A length-delimited bytes field. */
  bytes(field: number, value: Uint8Array): void {
    this.key(field, 2);
    this.varint(value.length);
    this.raw(value);
  }

  /** A UTF-8 string field. */
  string(field: number, value: string): void {
    this.bytes(field, new TextEncoder().encode(value));
  }

  /** A nested message field, written by `write` into a fresh writer. */
  message(field: number, write: (w: ProtobufWriter) => void): void {
    const inner = new ProtobufWriter();
    write(inner);
    this.bytes(field, inner.finish());
  }

  /** A packed repeated varint field (accepted for proto2 repeated fields by every conforming parser). */
  packedInt64(field: number, values: readonly number[]): void {
    const inner = new ProtobufWriter();
    for (const v of values) inner.varint(v);
    this.bytes(field, inner.finish());
  }

  /** A packed repeated float field. */
  packedFloat(field: number, values: readonly number[]): void {
    this.bytes(field, new Uint8Array(Float32Array.from(values).buffer));
  }

  /** The encoded bytes. */
  finish(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0] as Uint8Array;
    const out = new Uint8Array(this.total);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    this.chunks = [out];
    return out;
  }

  private key(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number): void {
    this.reserve(10);
    if (value < 0) {
      // 64-bit two's complement: split into 32-bit halves.
      let lo = value >>> 0;
      let hi = Math.floor(value / 4294967296) >>> 0;
      while (hi !== 0 || lo > 127) {
        this.buf[this.pos++] = (lo & 127) | 128;
        lo = ((lo >>> 7) | (hi << 25)) >>> 0;
        hi >>>= 7;
      }
      this.buf[this.pos++] = lo;
      return;
    }
    let v = value;
    while (v > 127) {
      this.buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  private raw(bytes: Uint8Array): void {
    if (bytes.length > 4096) {
      this.flush();
      this.chunks.push(bytes);
      this.total += bytes.length;
      return;
    }
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    this.buf = new Uint8Array(Math.max(1024, n));
  }

  private flush(): void {
    if (this.pos === 0) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.total += this.pos;
    this.buf = this.buf.subarray(this.pos);
    this.pos = 0;
  }
}
